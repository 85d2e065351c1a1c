"""POST /v1/anonymise and POST /v1/analyse (classify the original, anonymise it, in one call)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from service.api.deps import app_settings, check_text_length, loaded_runtime
from service.api.schemas import AnalyseResponse, AnonymiseRequest, AnonymiseResponse
from service.redaction.engine import Redaction, RedactionOptions
from service.redaction.entities import ENTITY_TYPES
from service.redaction.operators import ModeError, make_operator
from service.runtime import Runtime
from service.settings import Settings

router = APIRouter(tags=["anonymise"])


def options_from(body: AnonymiseRequest, settings: Settings) -> RedactionOptions:
    """Validated redaction options; 422 for unknown entity types or hash mode without a key."""
    unknown = sorted({*(body.entities or []), *body.modes} - set(ENTITY_TYPES))
    if unknown:
        raise HTTPException(422, detail=f"unknown entity types {unknown}; known: {list(ENTITY_TYPES)}")
    options = RedactionOptions(
        mode=body.mode,
        modes=dict(body.modes),
        entities=tuple(body.entities) if body.entities else None,
        score_threshold=body.score_threshold,
        allow=tuple(body.allow_list),
        deny=tuple(body.deny_list),
        letters_start=body.letters_start.upper() if body.letters_start else None,
    )
    key = settings.hash_key.get_secret_value() if settings.hash_key else None
    try:
        for mode in {options.mode, *options.modes.values()}:
            make_operator(mode, key)
    except ModeError as error:
        raise HTTPException(422, detail=str(error)) from None
    return options


def record(request: Request, redaction: Redaction) -> None:
    """Count the document and its entities by type."""
    metrics = request.app.state.metrics
    metrics.documents.labels("anonymise").inc()
    for span in redaction.spans:
        metrics.entities.labels(span.type).inc()


async def redact(body: AnonymiseRequest, runtime: Runtime, settings: Settings) -> Redaction:
    """Run the engine off the event loop after checking the request."""
    check_text_length([body.text], settings)
    options = options_from(body, settings)
    return await run_in_threadpool(runtime.engine.redact, body.text, options)


def redaction_body(redaction: Redaction) -> dict:
    """The API's JSON form of a redaction."""
    return {
        "text": redaction.text,
        "spans": [span.to_dict() for span in redaction.spans],
        "engine_version": redaction.engine_version,
    }


@router.post("/v1/anonymise", response_model=AnonymiseResponse)
async def anonymise(body: AnonymiseRequest, request: Request) -> dict:
    """The anonymised text and every replacement, with offsets into the original text."""
    redaction = await redact(body, loaded_runtime(request), app_settings(request))
    record(request, redaction)
    return redaction_body(redaction)


@router.post("/v1/analyse", response_model=AnalyseResponse)
async def analyse(body: AnonymiseRequest, request: Request) -> dict:
    """Labels from the original text and its anonymised form: the call intake tools make."""
    runtime = loaded_runtime(request)
    redaction = await redact(body, runtime, app_settings(request))
    prediction = (
        (await run_in_threadpool(runtime.classifier.predict, [body.text]))[0] if body.text.strip() else None
    )
    if prediction is None:
        raise HTTPException(422, detail="the text is empty")
    record(request, redaction)
    request.app.state.metrics.documents.labels("classify").inc()
    return {
        "classification": prediction.to_dict(),
        "anonymised": redaction_body(redaction),
        "model_version": runtime.classifier.version,
    }
