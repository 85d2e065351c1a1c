"""Shared fixtures: the redaction engine and the loaded runtime are built once per test session."""

from __future__ import annotations

import pytest

from service.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Default settings with a hash key, as a deployment would set one."""
    return Settings(hash_key="test-deployment-secret")


@pytest.fixture(scope="session")
def engine(settings: Settings):
    """The redaction engine on the default spaCy model."""
    from service.redaction.engine import RedactionEngine

    return RedactionEngine(settings)


@pytest.fixture(scope="session")
def runtime(settings: Settings, engine):
    """The shipped classifier and the shared engine, as the service holds them."""
    from models.store import load_classifier
    from service.runtime import Runtime

    return Runtime(settings=settings, classifier=load_classifier(settings.model_dir), engine=engine)
