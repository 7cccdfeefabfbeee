"""A synthetic district's event log, made of real domain events: ten per household."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from bench.common import village as real_village
from domain.households.identity import pseudonymise
from domain.households.model import Household
from domain.households.vocabulary import Assistance, Channel
from domain.needs.model import Need
from domain.referrals.model import Referral
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.standards.deadlines import DeadlinePolicy, Step

EVENTS_PER_HOUSEHOLD = 10
START = datetime(2026, 1, 1, tzinfo=UTC)


def _id(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def household_events(n: int, rng: random.Random) -> list[Any]:
    """One household's story: file, status, two needs, one referral through its loop."""
    at = START + timedelta(minutes=n)
    village = real_village(rng.randrange(10_000))
    house = Household(
        household_key=pseudonymise(f"BENCH{n:012d}", "bench"),
        region_code=village,
        channel=rng.choice(list(Channel)).value,
        reported_by=f"gw-{rng.randrange(500)}",
        discovered_at=at,
        members=[
            {
                "relation": "head",
                "birth_year": 1950 + rng.randrange(60),
                "circumstances": ["severe_illness"],
                "disability_grade": None,
            }
        ],
        note="",
    )
    house.grant(status=rng.choice(list(Assistance)), by="civil-affairs", at=at)
    needs = [
        Need(
            id=_id(rng),
            household_id=house.id,
            region_code=village,
            need_type=rng.choice(list(NeedType)).value,
            category=rng.choice(list(Category)).value,
            urgency=rng.choice(list(Urgency)).value,
            description=f"need {n}/{k}",
            raised_by="civil-affairs",
            raised_at=at,
            policy="",
        )
        for k in range(2)
    ]
    events = house.collect_events() + needs[1].collect_events() + needs[0].collect_events()
    referral = Referral(
        id=_id(rng),
        need_id=needs[0].id,
        household_id=house.id,
        region_code=village,
        from_department="civil-affairs",
        to_department="health",
        requested_at=at,
        note="",
        recorded_at=at,
        acceptance_due_at=DeadlinePolicy().due(Step.ACCEPTANCE, at),
    )
    needs[0].refer(referral_id=referral.id, at=at)
    events += referral.collect_events() + needs[0].collect_events()
    referral.accept(by="health", at=at + timedelta(hours=1))
    referral.give_feedback(by="health", at=at + timedelta(hours=5), content="in hand")
    referral.complete(by="health", at=at + timedelta(days=3), outcome="treated")
    needs[0].mark_met(referral_id=referral.id, at=at + timedelta(days=3))
    return events + referral.collect_events() + needs[0].collect_events()


def stored_log(
    mapper: Mapper[Any], events: int, seed: int = 7, chunk: int = 10_000
) -> Iterator[list[StoredEvent]]:
    """About `events` stored events, in chunks ready for insert_events."""
    rng = random.Random(seed)
    batch: list[StoredEvent] = []
    for n in range(events // EVENTS_PER_HOUSEHOLD):
        batch += [mapper.to_stored_event(e) for e in household_events(n, rng)]
        if len(batch) >= chunk:
            yield batch
            batch = []
    if batch:
        yield batch
