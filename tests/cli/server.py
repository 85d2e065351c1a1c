"""Start a real ``casework serve`` process for a test and stop it afterwards."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_service(
    command: list[str], environment: dict[str, str], port: int, cwd: Path | None = None, timeout: float = 90
) -> Iterator[str]:
    """Run ``command`` until its /readyz answers 200 on ``port``; yield the base URL; stop it with SIGINT."""
    process = subprocess.Popen(
        command, env=environment, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the service exited with {process.returncode}: {process.stderr.read()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"the service did not become ready within {timeout:.0f} s")
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
