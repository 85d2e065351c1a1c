"""The real server process: started with casework serve, called over HTTP, its workers supervised."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from service.server import gunicorn_options
from service.settings import Settings
from tests.cli.server import Service, free_port, running_service

CASEWORK = Path(sys.executable).with_name("casework")
COMPLAINT = "The consulate in Alicante never rang back after my son's arrest."


def classify_over_http(base: str) -> dict:
    """POST the complaint to ``base``/v1/classify and return the JSON answer."""
    request = urllib.request.Request(
        f"{base}/v1/classify",
        data=json.dumps({"text": COMPLAINT}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@contextmanager
def serving(*options: str) -> Iterator[Service]:
    """``casework serve`` with ``options`` on a free port, logging warnings only, until the block ends."""
    port = free_port()
    environment = {**os.environ, "CASEWORK_LOG_LEVEL": "WARNING"}
    with running_service(
        [str(CASEWORK), "serve", "--port", str(port), *options], environment, port
    ) as service:
        yield service


@pytest.mark.server
def test_casework_serve_answers_over_http():
    with serving() as service:
        assert classify_over_http(service.url)["sector"]["label"] == "consular_overseas"


def workers_once_settled(service: Service, count: int, gone: int | None = None) -> set[int]:
    """The worker pids once ``count`` of them run and none is ``gone`` (gunicorn forks its workers a
    moment apart, so the first may answer before the last exists), or as they are after 30 s."""
    deadline = time.monotonic() + 30
    while (workers := service.worker_pids()) and time.monotonic() < deadline:
        if len(workers) == count and gone not in workers:
            break
        time.sleep(0.2)
    return workers


@pytest.mark.server
def test_a_worker_that_dies_is_replaced_and_the_service_keeps_answering():
    with serving("--workers", "2") as service:
        workers = workers_once_settled(service, 2)
        assert len(workers) == 2
        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        replaced = workers_once_settled(service, 2, gone=killed)
        assert killed not in replaced and len(replaced) == 2
        for _ in range(4):  # both workers, whichever takes each connection
            assert classify_over_http(service.url)["sector"]["label"] == "consular_overseas"


def requests_counted(base: str, endpoint: str) -> float:
    """The ``casework_requests_total`` count for ``endpoint`` in one scrape of ``base``/metrics."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
        exposition = response.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in exposition.splitlines()
        if line.startswith("casework_requests_total{") and f'endpoint="{endpoint}"' in line
    )


@pytest.mark.server
def test_metrics_count_the_requests_of_every_worker_whichever_answers_the_scrape():
    with serving("--workers", "2") as service:
        assert len(workers_once_settled(service, 2)) == 2
        for _ in range(6):
            classify_over_http(service.url)
        assert [requests_counted(service.url, "/v1/classify") for _ in range(6)] == [6.0] * 6


def test_serve_on_a_taken_address_says_so_before_training_or_loading_anything(tmp_path):
    # With no model in the model directory, serve would train one first: it must not get that far.
    environment = {**os.environ, "CASEWORK_MODEL_DIR": str(tmp_path / "no-model-here")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(
            [str(CASEWORK), "serve", "--port", str(port)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert finished.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in finished.stderr
    assert "training" not in finished.stderr and not (tmp_path / "no-model-here").exists()


@pytest.mark.parametrize(("host", "bind"), [("127.0.0.1", "127.0.0.1:8300"), ("::1", "[::1]:8300")])
def test_gunicorn_binds_the_configured_address_and_forks_the_configured_workers(host, bind):
    settings = Settings(host=host, port=8300, workers=3, log_level="WARNING")
    options = gunicorn_options(settings)
    assert (options["bind"], options["workers"], options["loglevel"]) == (bind, 3, "warning")
