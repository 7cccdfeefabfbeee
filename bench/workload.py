"""A department's batch ingest: households discovered and assessed, two events per commit."""

from __future__ import annotations

import random
from collections.abc import Iterator
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from services.store.kafka.commits import CommitRequest

COUNTY = "330106"


def department_batches(commits: int, per_batch: int, seed: int) -> Iterator[list[CommitRequest]]:
    """`commits` commits of two events (Discovered, Assessed), in batches of `per_batch`."""
    rng = random.Random(seed)
    batch: list[CommitRequest] = []
    for _ in range(commits):
        oid = UUID(int=rng.getrandbits(128), version=4)
        village = f"{COUNTY}{rng.randrange(1000, 9999)}{rng.randrange(100, 999)}"
        discovered = orjson.dumps(
            {
                "timestamp": "2025-11-23T10:00:00+00:00",
                "region_code": village,
                "channel": "grid_worker",
                "reported_by": f"gw-{rng.randrange(1000)}",
                "members": [{"role": "head", "born": 1940 + rng.randrange(60)}],
            }
        )
        assessed = orjson.dumps(
            {
                "timestamp": "2025-11-23T10:05:00+00:00",
                "assistance": rng.choice(["dibao", "tekun", "none"]),
                "by": "civil-affairs",
            }
        )
        batch.append(
            CommitRequest(
                [
                    StoredEvent(oid, 1, "domain.households.model:Household.Discovered", discovered),
                    StoredEvent(oid, 2, "domain.households.model:Household.Assessed", assessed),
                ],
                COUNTY,
            )
        )
        if len(batch) == per_batch:
            yield batch
            batch = []
    if batch:
        yield batch
