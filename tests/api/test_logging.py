"""No complaint text reaches a log line, at any level."""

from __future__ import annotations

import logging

PERSONAL = (
    "Mrs Philippa Quarrington-Smythe (NHS number 943 476 5919, DOB 12/03/1961) of 14 Harrow Close, Leeds "
    "LS6 4QT rang 07700 900123; email pq.smythe@example.co.uk; NI JG 10 37 59 A."
)
FRAGMENTS = (
    "Quarrington",
    "Philippa",
    "943 476 5919",
    "12/03/1961",
    "Harrow Close",
    "LS6 4QT",
    "07700",
    "pq.smythe",
)


def test_nothing_personal_is_logged_at_debug_level(make_client, caplog):
    client = make_client(log_level="DEBUG")
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/anonymise", json={"text": PERSONAL})
        client.post("/v1/classify", json={"text": PERSONAL})
        client.post("/v1/analyse", json={"text": PERSONAL, "mode": "tag"})
        client.post("/v1/anonymise", json={"text": PERSONAL, "mode": "bogus"})
        client.post("/v1/classify", json={"text": PERSONAL, "texts": [PERSONAL]})
    logged = "\n".join(record.getMessage() + " " + str(record.__dict__) for record in caplog.records)
    assert caplog.records, "expected request log lines"
    for fragment in FRAGMENTS:
        assert fragment not in logged


def test_each_request_is_logged_once_with_its_request_id(make_client, caplog):
    client = make_client()
    with caplog.at_level(logging.INFO, logger="casework.http"):
        client.get("/healthz", headers={"X-Request-ID": "trace-me"})
    lines = [r for r in caplog.records if r.name == "casework.http"]
    assert len(lines) == 1 and lines[0].request_id == "trace-me" and lines[0].status == 200
