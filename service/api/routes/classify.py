"""POST /v1/classify: sector and themes for one complaint or a batch."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from service.api.deps import app_settings, check_text_length, loaded_runtime
from service.api.schemas import ClassifyBatchResponse, ClassifyRequest, ClassifyResponse

router = APIRouter(tags=["classify"])


@router.post("/v1/classify", response_model=ClassifyResponse | ClassifyBatchResponse)
async def classify(body: ClassifyRequest, request: Request) -> dict:
    """Sector (with alternatives) and themes, with calibrated probabilities and a needs-review flag."""
    runtime, settings = loaded_runtime(request), app_settings(request)
    texts = [body.text] if body.text is not None else list(body.texts or [])
    if len(texts) > settings.max_batch:
        raise HTTPException(
            422, detail=f"{len(texts)} texts in one request; the limit is {settings.max_batch}"
        )
    if not texts:
        raise HTTPException(422, detail="'texts' is empty")
    check_text_length(texts, settings)
    if any(not text.strip() for text in texts):
        raise HTTPException(422, detail="a text is empty")
    predictions = await request.app.state.classify_batcher.classify(texts)
    request.app.state.metrics.documents.labels("classify").inc(len(texts))
    results = [prediction.to_dict() for prediction in predictions]
    if body.text is not None:
        return {**results[0], "model_version": runtime.classifier.version}
    return {"results": results, "model_version": runtime.classifier.version}
