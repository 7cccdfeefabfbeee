"""A wall clock that holds the writer thread at its n-th reading, and an in-process app."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Generator
from datetime import datetime
from typing import Any

import httpx

from services.api.app import create_app
from services.ingest.service import utc_now
from services.settings import Settings


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
            client.auth = await _signed_in(app, client)
            await body(client)


class _ByMethod(httpx.Auth):
    """Reads as an auditor's client, writes as a publisher's (every source)."""

    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        role = "auditor" if request.method in ("GET", "HEAD") else "publisher"
        request.headers["authorization"] = "Bearer " + self.tokens[role]
        yield request


async def _signed_in(app: Any, client: httpx.AsyncClient) -> httpx.Auth:
    tokens = {}
    for role, sources in (("publisher", ["/"]), ("auditor", [])):
        client_id = f"held-{role}"
        secret = app.state.auth.create_client(
            "test suite", client_id=client_id, role=role, sources=sources
        )
        answer = await client.post(
            "/v1/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        tokens[role] = answer.json()["access_token"]
    return _ByMethod(tokens)
