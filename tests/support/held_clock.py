"""A wall clock that holds the writer thread at its n-th reading, and an in-process app."""

from __future__ import annotations

import threading
from base64 import b64encode
from collections.abc import Awaitable, Callable, Generator
from datetime import datetime
from typing import Any

import httpx

from services.api.app import create_app
from services.ingest.service import utc_now
from services.settings import Settings
from tests.support.signed_in import _actor, _events


class HeldClock:
    """The wall clock, except that a writer thread stops at its n-th reading until released.

    The ingestor reads the clock once per item, so a batch is provably part-way through while
    it is held; readers on the event loop never read it from a writer thread.
    """

    def __init__(self, hold_at: int) -> None:
        self.hold_at = hold_at
        self.calls = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> datetime:
        if threading.current_thread().name.startswith("writer"):
            self.calls += 1
            if self.calls == self.hold_at:
                self.holding.set()
                self.release.wait(timeout=60)
        return utc_now()


async def with_app(
    settings: Settings,
    clock: Callable[[], datetime],
    body: Callable[[httpx.AsyncClient], Awaitable[None]],
) -> None:
    """Run `body` against the app (lifespan included) over an in-process ASGI transport."""
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.auth = _SignedIn(app.state.auth)
            await body(client)


class _SignedIn(httpx.Auth):
    """Reads as an auditor's client; events as a publisher client made for the department the
    events name as their actor (a caller acts only as itself), every source, every zhulian
    type. Each client is registered on first use and its token taken from the real endpoint."""

    requires_response_body = True

    def __init__(self, authority: Any) -> None:
        self.authority = authority
        self.tokens: dict[tuple[str, str | None], str] = {}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if request.method in ("GET", "HEAD"):
            key: tuple[str, str | None] = ("auditor", None)
        else:
            key = ("publisher", _actor(_events({"content": request.content}, request.headers)))
        if key not in self.tokens:
            role, department = key
            client_id = f"held-{role}-{len(self.tokens)}"
            fields: dict[str, Any] = {"department": department} if department else {}
            if role == "publisher":
                fields.update(sources=["/"], event_types=["cn.zhulian.*"])
            secret = self.authority.create_client(
                "test suite", client_id=client_id, role=role, **fields
            )
            answer = yield httpx.Request(
                "POST",
                request.url.copy_with(path="/v1/oauth/token", query=None),
                data={"grant_type": "client_credentials"},
                headers={
                    "authorization": "Basic " + b64encode(f"{client_id}:{secret}".encode()).decode()
                },
            )
            self.tokens[key] = answer.json()["access_token"]
        request.headers["authorization"] = "Bearer " + self.tokens[key]
        yield request
