"""Classify requests that arrive together are answered with one call to the classifier."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from starlette.concurrency import run_in_threadpool

from models.classifier import Prediction

Predict = Callable[[Sequence[str]], list[Prediction]]
GATHER_ROUNDS = 20  # so a batch never waits more than 20 quiet gaps for company


class ClassifyBatcher:
    """Shares one classifier call among the requests waiting for it.

    A call to the classifier has a fixed cost (array set-up, the sparse product, thresholds) about as large
    as one complaint's own features. So under load, the requests that arrive while a batch is being
    classified are gathered, until ``wait_seconds`` pass with none joining or ``max_texts`` texts wait, and
    classified together; a request that arrives while nothing is queued or running is classified at once.
    Batches of at most ``inline_chars`` characters run on the event loop (a thread hand-off costs more than
    they do); larger ones run in a worker thread so ``/healthz`` stays quick.
    """

    def __init__(self, predict: Predict, max_texts: int, wait_seconds: float, inline_chars: int) -> None:
        self.predict = predict
        self.max_texts = max_texts
        self.wait_seconds = wait_seconds
        self.inline_chars = inline_chars
        self.waiting: list[tuple[list[str], asyncio.Future[list[Prediction]]]] = []
        self.drain: asyncio.Task[None] | None = None

    async def classify(self, texts: list[str]) -> list[Prediction]:
        """The predictions for ``texts``, in order, as ``predict(texts)`` would give them."""
        future: asyncio.Future[list[Prediction]] = asyncio.get_running_loop().create_future()
        self.waiting.append((texts, future))
        if self.drain is None or self.drain.done():
            self.drain = asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Classify batches until nothing is waiting; the first batch goes at once, later ones gather."""
        first = True
        while self.waiting:
            if not first:
                await self._gather()
            first = False
            await self._run(self._take())

    async def _gather(self) -> None:
        """Let requests join until ``wait_seconds`` pass with none joining, or ``max_texts`` are waiting.

        Requests that came in while the last batch ran are already received; each needs a moment of the
        event loop to be parsed and checked before it joins, so the gathering stops at the first quiet gap
        rather than after a fixed time.
        """
        for _ in range(GATHER_ROUNDS):
            waiting = sum(len(texts) for texts, _ in self.waiting)
            if waiting >= self.max_texts:
                return
            await asyncio.sleep(self.wait_seconds)
            if sum(len(texts) for texts, _ in self.waiting) == waiting:
                return

    def _take(self) -> list[tuple[list[str], asyncio.Future[list[Prediction]]]]:
        """The oldest waiting requests holding at most ``max_texts`` texts (at least one request)."""
        count, taken = 0, 0
        for texts, _ in self.waiting:
            if taken and count + len(texts) > self.max_texts:
                break
            count += len(texts)
            taken += 1
        batch, self.waiting = self.waiting[:taken], self.waiting[taken:]
        return batch

    async def _run(self, batch: list[tuple[list[str], asyncio.Future[list[Prediction]]]]) -> None:
        texts = [text for request_texts, _ in batch for text in request_texts]
        try:
            if sum(map(len, texts)) <= self.inline_chars:
                predictions = self.predict(texts)
            else:
                predictions = await run_in_threadpool(self.predict, texts)
        except Exception as error:  # each waiting request fails with it, as a direct call would
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        start = 0
        for request_texts, future in batch:
            if not future.done():  # a cancelled request (client gone) is skipped
                future.set_result(predictions[start : start + len(request_texts)])
            start += len(request_texts)
