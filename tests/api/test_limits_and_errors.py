"""Bad requests get a clear error with the right status, never a 500, and never echo the text."""

from __future__ import annotations

import pytest

SECRET = "Mrs Philippa Quarrington-Smythe of 14 Harrow Close"


def test_a_body_that_is_not_json_gets_415(client):
    response = client.post("/v1/classify", content="text=hello", headers={"content-type": "text/plain"})
    assert response.status_code == 415 and "application/json" in response.json()["detail"]


def test_a_body_over_the_size_limit_gets_413(make_client):
    client = make_client(max_body_bytes=1_000)
    response = client.post("/v1/anonymise", json={"text": "x" * 5_000})
    assert response.status_code == 413 and "1000-byte" in response.json()["detail"]


def test_a_text_over_the_length_limit_gets_422_naming_the_limit(make_client):
    client = make_client(max_text_chars=100)
    response = client.post("/v1/classify", json={"text": "y" * 101})
    assert response.status_code == 422 and "limit is 100" in response.json()["detail"]


def test_a_batch_over_the_limit_gets_422_naming_the_limit(make_client):
    client = make_client(max_batch=2)
    response = client.post("/v1/classify", json={"texts": ["a b c"] * 3})
    assert response.status_code == 422 and "limit is 2" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/classify", {}),
        ("/v1/classify", {"text": "a", "texts": ["b"]}),
        ("/v1/classify", {"text": "   "}),
        ("/v1/classify", {"texts": []}),
        ("/v1/classify", {"text": 42}),
        ("/v1/anonymise", {"text": SECRET, "mode": "shout"}),
        ("/v1/anonymise", {"text": SECRET, "entities": ["SHOE_SIZE"]}),
        ("/v1/anonymise", {"text": SECRET, "score_threshold": 2}),
        ("/v1/anonymise", {"text": SECRET, "unexpected": True}),
        ("/v1/analyse", {"text": ""}),
    ],
)
def test_invalid_bodies_get_422_without_echoing_the_text(client, path, body):
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert "Quarrington" not in response.text and "request_id" in response.json()


def test_malformed_json_gets_422(client):
    response = client.post("/v1/classify", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_hash_mode_without_a_deployment_secret_gets_422(make_client):
    client = make_client(hash_key=None)
    response = client.post("/v1/anonymise", json={"text": SECRET, "mode": "hash"})
    assert response.status_code == 422 and "CASEWORK_HASH_KEY" in response.json()["detail"]


def test_with_api_keys_set_requests_without_a_valid_key_get_401(make_client):
    client = make_client(api_keys="k1,k2")
    assert client.post("/v1/classify", json={"text": "hello there"}).status_code == 401
    assert (
        client.post("/v1/classify", json={"text": "hello"}, headers={"X-API-Key": "nope"}).status_code == 401
    )
    assert (
        client.post("/v1/classify", json={"text": "hello there"}, headers={"X-API-Key": "k2"}).status_code
        == 200
    )
    assert client.get("/healthz").status_code == 200


def test_unknown_paths_get_404(client):
    assert client.get("/v2/nothing").status_code == 404
