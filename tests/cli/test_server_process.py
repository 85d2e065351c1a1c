"""The real server process: started with casework serve, called over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CASEWORK = Path(sys.executable).with_name("casework")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.server
def test_casework_serve_answers_over_http():
    port = free_port()
    environment = {**os.environ, "CASEWORK_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [str(CASEWORK), "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the service did not become ready within 60 s")
        request = urllib.request.Request(
            f"{base}/v1/classify",
            data=json.dumps(
                {"text": "The consulate in Alicante never rang back after my son's arrest."}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
        assert body["sector"]["label"] == "consular_overseas"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
