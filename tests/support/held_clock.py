"""A wall clock that holds the writer thread at its n-th reading, and an in-process app."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from datetime import datetime

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
            await body(client)
