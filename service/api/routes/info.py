"""Health, readiness, taxonomy, model cards and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from service.api.deps import loaded_runtime

router = APIRouter(tags=["service"])


@router.get("/healthz")
async def healthz() -> dict:
    """The process is up (answers even while models load or a large request runs)."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, response: Response) -> dict:
    """200 once the models are loaded, 503 before."""
    ready = getattr(request.app.state, "runtime", None) is not None
    response.status_code = 200 if ready else 503
    return {"status": "ready" if ready else "loading"}


@router.get("/v1/taxonomy")
async def taxonomy(request: Request) -> dict:
    """The sector and theme labels the loaded model predicts, with what each covers."""
    return loaded_runtime(request).classifier.card["taxonomy"]


@router.get("/v1/models")
async def models(request: Request) -> dict:
    """The model card of the classifier and the version of the redaction engine."""
    runtime = loaded_runtime(request)
    return {"classifier": runtime.classifier.card, "redaction_engine": runtime.engine.version}


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
