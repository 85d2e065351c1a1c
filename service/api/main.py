"""Build the FastAPI app: routes, the request guard, error handlers and model loading at start-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.batching import ClassifyBatcher
from service.api.guard import Guard
from service.api.metrics import Metrics
from service.api.routes import anonymise, classify, info
from service.logs import configure_logging, request_id
from service.runtime import Runtime
from service.settings import Settings, get_settings

log = logging.getLogger("casework.app")


def attach(app: FastAPI, runtime: Runtime) -> None:
    """Serve requests with ``runtime``'s models (from then on ``/readyz`` says ready)."""
    settings = app.state.settings
    app.state.classify_batcher = ClassifyBatcher(
        runtime.classifier.predict,
        max_texts=settings.classify_batch_texts,
        wait_seconds=settings.classify_batch_wait_ms / 1000,
        inline_chars=settings.inline_classify_chars,
    )
    app.state.runtime = runtime


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The service. Models load in the background at start-up (``/readyz`` says when); pass ``runtime``
    to use models already loaded (``casework serve`` loads them before forking its workers; tests)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Model work runs in this many threads at once; /healthz stays on the event loop meanwhile.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.model_threads
        loading = None
        if app.state.runtime is None:
            loading = asyncio.create_task(load(app))
        yield
        if loading and not loading.done():
            loading.cancel()

    async def load(app: FastAPI) -> None:
        try:
            attach(app, await asyncio.to_thread(Runtime.load, settings))
            log.info("models loaded", extra={"model_version": app.state.runtime.classifier.version})
        except Exception as error:  # the service stays up, not ready, and says why in the log
            log.error("model loading failed", extra={"error": error.__class__.__name__})

    app = FastAPI(
        title="Casework NLP",
        version="0.1.0",
        summary="Classify UK public-service complaints and anonymise them for publication.",
        lifespan=lifespan,
        # Metrics go to Prometheus (/metrics). FastAPI's native OpenTelemetry would otherwise look up the
        # global providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.runtime = None
    if runtime is not None:
        attach(app, runtime)
    for module in (classify, anonymise, info):
        app.include_router(module.router)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        # Pydantic's errors echo the input back: keep only where and what, never the text sent.
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        return JSONResponse({"detail": detail, "request_id": request_id.get()}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": error.detail, "request_id": request_id.get()}, status_code=error.status_code
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error", extra={"error": error.__class__.__name__})
        return JSONResponse({"detail": "internal error", "request_id": request_id.get()}, status_code=500)

    app.add_middleware(Guard, settings=settings, metrics=metrics)
    return app
