"""Reveals every JSON and HTML response on its way out (pure ASGI: the body is buffered)."""

from __future__ import annotations

from typing import Any

import orjson
from anyio import to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.auth.principal import principal_of
from services.errors import RETRY_AFTER_SECONDS, is_part_failure, unavailable
from services.privacy.reveal import Revealer, needs_reveal

_REVEALED = ("application/json", "application/problem+json", "text/html")


def _media_type(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return ""


class RevealMiddleware:
    """Tokens in JSON and HTML answers become clear text or masks, as the caller's role says."""

    def __init__(self, app: ASGIApp, revealer: Any = None) -> None:
        self.app = app
        self._revealer = revealer  # or the container's, found on the app at request time

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                passing = _media_type(list(message.get("headers", []))) not in _REVEALED
                if passing:
                    await send(message)
                return
            if message["type"] != "http.response.body" or passing:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            await self._finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, capture)

    def _revealer_of(self, scope: Scope) -> Revealer | None:
        if self._revealer is not None:
            return self._revealer  # type: ignore[no-any-return]
        container = getattr(scope["app"].state, "container", None) if "app" in scope else None
        return getattr(container, "revealer", None)

    async def _finish(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        principal = principal_of(Request(scope))
        revealer = self._revealer_of(scope)
        if revealer is not None and needs_reveal(body, principal):
            media_type = _media_type(list(start.get("headers", [])))
            reveal = revealer.for_caller(principal)
            try:
                body = await to_thread.run_sync(reveal.body, body, media_type)
            except Exception as error:
                if not is_part_failure(error):
                    raise
                await self._unavailable(error, send)  # the key store or the views are down
                return
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            start = {**start, "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    @staticmethod
    async def _unavailable(error: Exception, send: Send) -> None:
        body = orjson.dumps(unavailable(error).as_json())
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
