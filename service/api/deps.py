"""What routes take from the app state (the settings and the loaded models), and the shared text check."""

from __future__ import annotations

from fastapi import HTTPException, Request

from service.runtime import Runtime
from service.settings import Settings


def loaded_runtime(request: Request) -> Runtime:
    """The loaded models; 503 while they are still loading.

    Routes call this and ``app_settings`` themselves rather than declaring them with ``Depends``:
    FastAPI's dependency resolution cost about 5% of a classify request's time under load (py-spy).
    """
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise HTTPException(status_code=503, detail="models are still loading")
    return runtime


def app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def check_text_length(texts: list[str], settings: Settings) -> None:
    """422 when any text is longer than the configured limit (the message gives the limit, not the text)."""
    for position, text in enumerate(texts):
        if len(text) > settings.max_text_chars:
            raise HTTPException(
                status_code=422,
                detail=f"text {position} has {len(text)} characters; the limit is {settings.max_text_chars}",
            )
