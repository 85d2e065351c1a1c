"""Where model work runs: small classify requests on the event loop, the rest in a bounded set of threads."""

from __future__ import annotations

import os

from service.settings import Settings
from tests.api.test_endpoints import COMPLAINT

TEXTS = [COMPLAINT, "The consulate in Alicante never rang back after my brother was arrested there."]


def test_classify_gives_the_same_answer_on_the_event_loop_and_in_a_worker_thread(make_client):
    inline = make_client().post("/v1/classify", json={"texts": TEXTS}).json()
    threaded = make_client(inline_classify_chars=0).post("/v1/classify", json={"texts": TEXTS}).json()
    assert inline == threaded


def test_model_threads_share_the_cores_among_the_workers_unless_set():
    cores = os.cpu_count() or 1
    assert Settings(workers=1).model_threads == cores
    assert Settings(workers=cores * 2).model_threads == 1
    assert Settings(workers=1, cpu_threads=3).model_threads == 3
