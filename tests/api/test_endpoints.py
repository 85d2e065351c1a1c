"""Every endpoint answers as documented."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app

COMPLAINT = (
    "My PIP assessment was a joke. The assessor didn't listen, wrote that I walk my dog every day when I "
    "have not owned a dog for years, and I lost the enhanced mobility rate. The mandatory reconsideration "
    "took four months."
)
PERSONAL = "Mrs Janet Okafor (NHS number 943 476 5919) rang 07700 900123 about her son Tom."


def test_classify_one_text_gives_sector_alternatives_themes_review_flag_and_version(client):
    body = client.post("/v1/classify", json={"text": COMPLAINT}).json()
    assert body["sector"]["label"] == "benefits_pensions"
    assert 0 < body["sector"]["probability"] <= 1 and len(body["sector"]["alternatives"]) == 3
    assert body["themes"] and {"label", "probability"} <= set(body["themes"][0])
    assert isinstance(body["needs_review"], bool)
    assert body["model_version"].startswith("complaints-")


def test_classify_a_batch_keeps_the_order_of_the_texts(client):
    texts = [COMPLAINT, "The consulate in Alicante never rang back after my brother was arrested there."]
    body = client.post("/v1/classify", json={"texts": texts}).json()
    assert [r["sector"]["label"] for r in body["results"]] == ["benefits_pensions", "consular_overseas"]


def test_anonymise_returns_the_text_and_every_span_with_original_offsets(client):
    body = client.post("/v1/anonymise", json={"text": PERSONAL}).json()
    assert body["text"].startswith("Mrs A (NHS number [NHS NUMBER]) rang [PHONE]")
    for span in body["spans"]:
        assert set(span) == {"type", "start", "end", "score", "recogniser", "replacement"}
        assert 0 <= span["start"] < span["end"] <= len(PERSONAL)
    assert "Okafor" in PERSONAL[body["spans"][0]["start"] : body["spans"][0]["end"]]


def test_anonymise_options_choose_modes_entities_and_lists(client):
    body = client.post(
        "/v1/anonymise",
        json={"text": PERSONAL, "mode": "tag", "modes": {"PHONE_NUMBER": "mask"}, "allow_list": ["Tom"]},
    ).json()
    assert body["text"] == "[NAME] (NHS number [NHS NUMBER]) rang ********0123 about her son Tom."
    only_phone = client.post("/v1/anonymise", json={"text": PERSONAL, "entities": ["PHONE_NUMBER"]}).json()
    assert {span["type"] for span in only_phone["spans"]} == {"PHONE_NUMBER"}


def test_analyse_classifies_the_original_and_anonymises_it(client):
    body = client.post("/v1/analyse", json={"text": "Mr David Hughes says: " + COMPLAINT}).json()
    assert body["classification"]["sector"]["label"] == "benefits_pensions"
    assert "Hughes" not in body["anonymised"]["text"] and body["model_version"]


def test_taxonomy_models_health_and_readiness(client):
    taxonomy = client.get("/v1/taxonomy").json()
    assert len(taxonomy["sectors"]) == 12 and len(taxonomy["themes"]) == 20
    models = client.get("/v1/models").json()
    assert models["classifier"]["training_data_sha256"] and "presidio" in models["redaction_engine"]
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/classify", {"text": COMPLAINT}),
        ("POST", "/v1/anonymise", {"text": PERSONAL}),
        ("POST", "/v1/analyse", {"text": PERSONAL}),
        ("GET", "/v1/taxonomy", None),
        ("GET", "/v1/models", None),
    ],
)
def test_before_the_models_are_loaded_model_endpoints_say_503_and_health_says_alive(
    runtime, method, path, body
):
    not_loaded = TestClient(create_app(runtime.settings))  # no lifespan run: nothing loads
    answer = not_loaded.request(method, path, json=body)
    assert answer.status_code == 503 and answer.json()["detail"] == "models are still loading"
    assert not_loaded.get("/readyz").status_code == 503
    assert not_loaded.get("/healthz").status_code == 200


def test_every_response_carries_a_request_id_and_echoes_a_given_one(client):
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"


def test_metrics_count_requests_documents_and_entities_but_hold_no_text(client):
    client.post("/v1/anonymise", json={"text": PERSONAL})
    metrics = client.get("/metrics").text
    assert 'casework_requests_total{endpoint="/v1/anonymise",method="POST",status="200"}' in metrics
    assert 'casework_entities_total{type="PHONE_NUMBER"}' in metrics
    assert "casework_request_seconds_bucket" in metrics
    assert "Okafor" not in metrics and "07700" not in metrics


def test_the_openapi_document_has_an_example_for_every_request_body(client):
    spec = client.get("/openapi.json").json()
    for path in ("/v1/classify", "/v1/anonymise", "/v1/analyse"):
        schema_ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"][
            "$ref"
        ]
        schema = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
        assert schema.get("examples"), path
