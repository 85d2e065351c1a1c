"""The real server process: started with casework serve, called over HTTP."""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.cli.server import free_port, running_service

CASEWORK = Path(sys.executable).with_name("casework")


@pytest.mark.server
def test_casework_serve_answers_over_http():
    port = free_port()
    environment = {**os.environ, "CASEWORK_LOG_LEVEL": "WARNING"}
    with running_service([str(CASEWORK), "serve", "--port", str(port)], environment, port) as base:
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
