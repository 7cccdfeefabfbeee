"""G11: commands run off the event loop, a bounded number at a time; reads answer meanwhile."""

from __future__ import annotations

import asyncio

import httpx

from services.settings import Settings
from tests.builders import cloud_event, discovered
from tests.support.held_clock import HeldClock, with_app

BATCH = {"content-type": "application/cloudevents-batch+json"}
SINGLE = {"content-type": "application/cloudevents+json"}


def households(n: int) -> list[dict[str, object]]:
    return [
        cloud_event("household.discovered", discovered(f"33010619700101{i:04d}")) for i in range(n)
    ]


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

    asyncio.run(with_app(Settings(data_dir=tmp_path, demo=False), clock, body))
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

    asyncio.run(with_app(settings, clock, body))
