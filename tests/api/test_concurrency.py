"""Where model work runs: classify requests batched on the event loop (large batches in a thread), and
a bounded set of threads per process."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence

import httpx
import pytest

from service.api.batching import ClassifyBatcher
from service.api.main import create_app
from service.settings import Settings
from tests.api.test_endpoints import COMPLAINT

TEXTS = [COMPLAINT, "The consulate in Alicante never rang back after my brother was arrested there."]


class Recorder:
    """A stand-in classifier: answers each text in upper case and records its calls and threads."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.threads: list[int] = []
        self.fail_on = fail_on

    def __call__(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        self.threads.append(threading.get_ident())
        if self.fail_on in texts:
            raise ValueError("the classifier failed")
        return [text.upper() for text in texts]


def classify_all(batcher: ClassifyBatcher, requests: list[list[str]]) -> list:
    """Send ``requests`` to ``batcher`` at once; each result, or the exception it raised."""

    async def scenario() -> list:
        return await asyncio.gather(*(batcher.classify(texts) for texts in requests), return_exceptions=True)

    return asyncio.run(scenario())


def test_requests_waiting_together_share_one_classifier_call_and_get_their_own_answers():
    predict = Recorder()
    batcher = ClassifyBatcher(predict, max_texts=32, wait_seconds=0.001, inline_chars=10_000)
    requests = [[f"a{i}", f"b{i}"] for i in range(5)]
    assert classify_all(batcher, requests) == [[f"A{i}", f"B{i}"] for i in range(5)]
    assert predict.calls == [[text for texts in requests for text in texts]]


def test_a_batch_holds_at_most_the_configured_number_of_texts_but_always_one_request():
    predict = Recorder()
    batcher = ClassifyBatcher(predict, max_texts=4, wait_seconds=0.001, inline_chars=10_000)
    requests = [["a", "b", "c", "d", "e"], ["f"], ["g", "h"], ["i", "j"]]
    assert classify_all(batcher, requests) == [[text.upper() for text in texts] for texts in requests]
    assert [len(call) for call in predict.calls] == [5, 3, 2]


def test_a_failing_call_fails_only_the_requests_in_its_batch():
    predict = Recorder(fail_on="bad")
    batcher = ClassifyBatcher(predict, max_texts=2, wait_seconds=0.001, inline_chars=10_000)
    results = classify_all(batcher, [["good"], ["bad"], ["later"]])
    assert isinstance(results[0], ValueError) and isinstance(results[1], ValueError)
    assert results[2] == ["LATER"]


@pytest.mark.parametrize(("inline_chars", "on_the_loop"), [(10_000, True), (0, False)])
def test_small_batches_run_on_the_event_loop_and_large_ones_in_a_thread(inline_chars, on_the_loop):
    predict = Recorder()
    batcher = ClassifyBatcher(predict, max_texts=32, wait_seconds=0.001, inline_chars=inline_chars)

    async def scenario() -> int:
        await batcher.classify(["one complaint"])
        return threading.get_ident()

    loop_thread = asyncio.run(scenario())
    assert (predict.threads == [loop_thread]) is on_the_loop


def test_concurrent_requests_get_the_answers_they_would_get_one_at_a_time(runtime, make_client):
    texts = [
        *TEXTS,
        "HMRC sent my P800 to the wrong address.",
        "The CMS has not collected arrears since March.",
    ]
    alone = [make_client().post("/v1/classify", json={"text": text}).json() for text in texts]
    app = create_app(runtime.settings, runtime=runtime)
    batcher = app.state.classify_batcher
    calls: list[int] = []

    def counted(batch: Sequence[str]) -> list:
        calls.append(len(batch))
        return runtime.classifier.predict(batch)

    batcher.predict = counted

    async def together() -> list[dict]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://casework") as client:
            responses = await asyncio.gather(
                *(client.post("/v1/classify", json={"text": text}) for text in texts * 3)
            )
        return [response.json() for response in responses]

    assert asyncio.run(together()) == alone * 3
    assert sum(calls) == len(texts) * 3 and len(calls) < len(texts) * 3  # some requests shared a call


def test_classify_gives_the_same_answer_on_the_event_loop_and_in_a_worker_thread(make_client):
    inline = make_client().post("/v1/classify", json={"texts": TEXTS}).json()
    threaded = make_client(inline_classify_chars=0).post("/v1/classify", json={"texts": TEXTS}).json()
    assert inline == threaded


def test_model_threads_share_the_cores_among_the_workers_unless_set():
    cores = os.cpu_count() or 1
    assert Settings(workers=1).model_threads == cores
    assert Settings(workers=cores * 2).model_threads == 1
    assert Settings(workers=1, cpu_threads=3).model_threads == 3
