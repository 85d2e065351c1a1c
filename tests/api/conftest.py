"""An app with the models already loaded, and a way to build one with other settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app


@pytest.fixture
def make_client(runtime) -> Iterator[Callable[..., TestClient]]:
    """Build a TestClient for an app with the given settings overrides and the loaded models."""
    clients: list[TestClient] = []

    def build(**overrides) -> TestClient:
        settings = runtime.settings.model_copy(update=overrides)
        client = TestClient(create_app(settings, runtime=runtime))
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    """A client for the app on default settings."""
    return make_client()
