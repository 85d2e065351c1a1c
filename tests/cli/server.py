"""Start a real ``casework serve`` process for a test and stop it afterwards."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Service:
    """A running service: its base URL and the pid of the process that was started."""

    url: str
    pid: int

    def worker_pids(self) -> set[int]:
        """The pids of the started process's children (its worker processes)."""
        listing = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.pid)], capture_output=True, text=True
        ).stdout
        return {int(pid) for pid in listing.split()}


def ready(url: str) -> bool:
    """Whether ``url``/readyz answers 200 now."""
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def running_service(
    command: list[str], environment: dict[str, str], port: int, cwd: Path | None = None, timeout: float = 90
) -> Iterator[Service]:
    """Run ``command`` until its /readyz answers 200 on ``port``; yield it; stop it with SIGINT."""
    process = subprocess.Popen(
        command, env=environment, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the service exited with {process.returncode}: {process.stderr.read()[-2000:]}")
            if ready(base):
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"the service did not become ready within {timeout:.0f} s")
        yield Service(base, process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
