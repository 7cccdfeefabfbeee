"""A batch whose combined commit loses a race: its items run again one by one, none is lost."""

from __future__ import annotations

import asyncio

import httpx

from services.settings import Settings
from tests.builders import cloud_event, discovered, need_raised
from tests.support.held_clock import HeldClock, with_app

BATCH = {"content-type": "application/cloudevents-batch+json"}
SINGLE = {"content-type": "application/cloudevents+json"}
NUMBER = "330106198001010011"


def test_a_batch_that_loses_a_race_to_a_single_event_still_stores_every_item(tmp_path) -> None:
    clock = HeldClock(hold_at=2)  # the batch's first item is held in its unit, not yet saved
    settings = Settings(data_dir=tmp_path, demo=False, write_workers=2)

    async def body(client: httpx.AsyncClient) -> None:
        batch = [
            # one department's batch: a caller acts only as itself
            cloud_event("household.discovered", discovered(NUMBER, reported_by="civil-affairs")),
            cloud_event("need.raised", need_raised(NUMBER)),
        ]
        held = asyncio.create_task(client.post("/v1/events", json=batch, headers=BATCH))
        assert await asyncio.to_thread(clock.holding.wait, 60), "the batch never started"
        rival = cloud_event("household.discovered", discovered(NUMBER, reported_by="hotline-li"))
        single = await client.post("/v1/events", json=rival, headers=SINGLE)
        clock.release.set()
        results = (await held).json()["results"]
        assert (single.status_code, single.json()["version"]) == (201, 1)
        assert [r["status"] for r in results] == [201, 201]
        assert results[0]["record_id"] == single.json()["record_id"]
        assert results[0]["version"] == 2  # taken after the rival, on top of it
        again = await client.post("/v1/events", json=batch, headers=BATCH)
        assert [r["result"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
        assert [r["version"] for r in again.json()["results"]] == [2, results[1]["version"]]

    asyncio.run(with_app(settings, clock, body))
