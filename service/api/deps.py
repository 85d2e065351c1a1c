"""Typed dependencies: the settings and the loaded models, taken from the app state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from service.runtime import Runtime
from service.settings import Settings


async def get_runtime(request: Request) -> Runtime:
    """The loaded models; 503 while they are still loading.

    Async, as every dependency here: FastAPI runs a plain function in a worker thread.
    """
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise HTTPException(status_code=503, detail="models are still loading")
    return runtime


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def check_text_length(texts: list[str], settings: Settings) -> None:
    """422 when any text is longer than the configured limit (the message gives the limit, not the text)."""
    for position, text in enumerate(texts):
        if len(text) > settings.max_text_chars:
            raise HTTPException(
                status_code=422,
                detail=f"text {position} has {len(text)} characters; the limit is {settings.max_text_chars}",
            )
