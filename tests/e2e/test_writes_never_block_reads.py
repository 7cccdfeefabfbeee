"""G11: commands run off the event loop, a bounded number at a time; reads answer meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import datetime

import httpx

from services.api.app import create_app
from services.ingest.service import utc_now
from services.settings import Settings
from tests.builders import cloud_event, discovered

BATCH = {"content-type": "application/cloudevents-batch+json"}
SINGLE = {"content-type": "application/cloudevents+json"}


class HeldClock:
    """The wall clock, except that the writer thread stops at its n-th reading until released.

    The ingestor reads the clock once per item, so the batch is provably part-way through
    while it is held; reads on the event loop never read it from a writer thread.
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


def households(n: int) -> list[dict[str, object]]:
    return [
        cloud_event("household.discovered", discovered(f"33010619700101{i:04d}")) for i in range(n)
    ]


async def _with_app(settings: Settings, clock: Callable[[], datetime], body) -> None:
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await body(client)


def test_health_and_a_list_answer_while_a_ten_thousand_item_batch_is_ingested(tmp_path) -> None:
    clock = HeldClock(hold_at=5_000)
    answered: list[str] = []

    async def body(client: httpx.AsyncClient) -> None:
        batch = asyncio.create_task(
            client.post("/v1/events", json=households(10_000), headers=BATCH, timeout=300)
        )
        batch.add_done_callback(lambda _: answered.append("batch"))
        assert await asyncio.to_thread(clock.holding.wait, 60), "the batch never started"
        health = await client.get("/v1/health")
        answered.append("health")
        needs = await client.get("/v1/needs")
        answered.append("needs")
        clock.release.set()
        response = await batch
        assert health.status_code == 200
        assert needs.status_code == 200
        assert response.status_code == 200
        assert response.json()["stored"] == 10_000

    asyncio.run(_with_app(Settings(data_dir=tmp_path, demo=False), clock, body))
    assert answered == ["health", "needs", "batch"]


def test_a_write_beyond_the_waiting_line_is_refused_with_503_and_retry_after(tmp_path) -> None:
    clock = HeldClock(hold_at=1)
    settings = Settings(data_dir=tmp_path, demo=False, write_workers=1, write_queue=0)

    async def body(client: httpx.AsyncClient) -> None:
        held = asyncio.create_task(client.post("/v1/events", json=households(2), headers=BATCH))
        assert await asyncio.to_thread(clock.holding.wait, 60), "the first write never started"
        event = cloud_event("household.discovered", discovered("330106197001019999"))
        refused = await client.post("/v1/events", json=event, headers=SINGLE)
        clock.release.set()
        assert (await held).json()["stored"] == 2
        assert refused.status_code == 503
        assert refused.headers["retry-after"].isdigit()
        assert refused.headers["content-type"] == "application/problem+json"
        retried = await client.post("/v1/events", json=event, headers=SINGLE)
        assert retried.status_code == 201

    asyncio.run(_with_app(settings, clock, body))
