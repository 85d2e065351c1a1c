"""ASGI middleware around every request: request id, API key, JSON-only bodies, body size, log line, metrics."""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.api.metrics import Metrics
from service.logs import request_id
from service.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("casework.http")
OPEN_PATHS = ("/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/redoc")
KNOWN_ENDPOINTS = (
    "/v1/classify",
    "/v1/anonymise",
    "/v1/analyse",
    "/v1/taxonomy",
    "/v1/models",
    "/healthz",
    "/readyz",
    "/metrics",
)


class BodyTooLargeError(Exception):
    """The request body passed the size limit while it was being read."""


class Guard:
    """Checks and accounting that every request passes through, before and after the app."""

    def __init__(self, app: ASGIApp, settings: Settings, metrics: Metrics) -> None:
        self.app = app
        self.settings = settings
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        rid = headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        path, method = scope["path"], scope["method"]
        endpoint = path if path in KNOWN_ENDPOINTS else "other"
        state = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            refusal = self._refusal(path, method, headers)
            if refusal:
                await self._error(send_with_id, *refusal, rid)
            else:
                await self.app(scope, self._limited(receive), send_with_id)
        except BodyTooLargeError:
            if not state["started"]:
                await self._error(
                    send_with_id, 413, f"the body is over the {self.settings.max_body_bytes}-byte limit", rid
                )
        finally:
            seconds = time.perf_counter() - started
            self.metrics.requests.labels(endpoint, method, str(state["status"])).inc()
            self.metrics.latency.labels(endpoint).observe(seconds)
            log.info(
                "request",
                extra={
                    "method": method,
                    "path": endpoint,
                    "status": state["status"],
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            request_id.reset(token)

    def _refusal(self, path: str, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        keys = self.settings.api_key_set
        if keys and not path.startswith(OPEN_PATHS):
            given = (
                headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ").strip()
            )
            if not any(secrets.compare_digest(given.encode(), key.encode()) for key in keys):
                return 401, "a valid API key is needed (X-API-Key header)"
        if method == "POST":
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json":
                return 415, "send the body as application/json"
            length = headers.get("content-length")
            if length and length.isdigit() and int(length) > self.settings.max_body_bytes:
                return 413, f"the body is over the {self.settings.max_body_bytes}-byte limit"
        return None

    def _limited(self, receive: Receive) -> Receive:
        remaining = {"bytes": self.settings.max_body_bytes}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                remaining["bytes"] -= len(message.get("body", b""))
                if remaining["bytes"] < 0:
                    raise BodyTooLargeError
            return message

        return limited_receive

    @staticmethod
    async def _error(send: Send, status: int, detail: str, rid: str) -> None:
        body = json.dumps({"detail": detail, "request_id": rid}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
