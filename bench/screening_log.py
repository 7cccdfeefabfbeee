"""A long screening history for the what-if benchmark: households' later events, appended.

Each round gives every household a case cycle of nine events the facts fold reads (a report with
its members, an assessment, a need raised and referred, a referral requested, accepted and
completed, the need met, a temporary grant), written straight to the log until it holds
`target` events. Setup, not measured: it bypasses the commands' checks on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from domain.households.identity import household_id
from domain.households.model import Household
from domain.needs.model import Need
from domain.referrals.model import Referral

PER_CYCLE = 9


def _created(cls: type, owner: type, rid: UUID, at: datetime, **fields: Any) -> Any:
    topic = f"{owner.__module__}:{owner.__qualname__}"
    return cls(
        originator_id=rid, originator_version=1, timestamp=at, originator_topic=topic, **fields
    )


def _cycle(
    hid: UUID, region: str, version: int, members: list[dict[str, Any]], at: datetime, i: int
) -> Iterator[Any]:
    need, referral = uuid4(), uuid4()
    yield Household.ReportedAgain(
        originator_id=hid, originator_version=version + 1, timestamp=at, channel="visit",
        reported_by="civil-affairs", reported_at=at, members=members, note="",
    )  # fmt: skip
    yield Household.Assessed(
        originator_id=hid, originator_version=version + 2, timestamp=at,
        difficulty_circle=1 + i % 3, group="elderly", plan="", by="civil-affairs", assessed_at=at,
    )  # fmt: skip
    yield _created(
        Need.Raised, Need, need, at, household_id=hid, region_code=region, need_type="care",
        category="care", urgency="normal", description="care", raised_by="civil-affairs",
        raised_at=at, policy="",
    )  # fmt: skip
    yield Need.Referred(
        originator_id=need, originator_version=2, timestamp=at, referral_id=referral, referred_at=at
    )
    yield _created(
        Referral.Requested, Referral, referral, at, need_id=need, household_id=hid,
        region_code=region, from_department="civil-affairs", to_department="health",
        requested_at=at, note="", recorded_at=at, acceptance_due_at=at + timedelta(days=3),
    )  # fmt: skip
    yield Referral.Accepted(
        originator_id=referral, originator_version=2, timestamp=at, actor="health",
        accepted_at=at, feedback_due_at=at + timedelta(days=7), recorded_at=at, late=False,
    )  # fmt: skip
    yield Referral.Completed(
        originator_id=referral, originator_version=3, timestamp=at, actor="health",
        completed_at=at, outcome="served",
    )  # fmt: skip
    yield Need.Met(
        originator_id=need, originator_version=3, timestamp=at, referral_id=referral, met_at=at
    )
    yield Household.TemporaryAidGranted(
        originator_id=hid, originator_version=version + 3, timestamp=at, amount_fen=50_000,
        by="civil-affairs", granted_at=at, reason="",
    )  # fmt: skip


def append_history(
    app: Any, households: list[tuple[str, str, int, list[dict[str, Any]]]], target: int
) -> int:
    """Append case cycles (household key, region, version, members) until the log holds
    `target` events; returns the log's head."""
    head = app.recorder.max_notification_id() or 0
    versions = {key: version for key, _, version, _ in households}
    at = datetime.now().astimezone()
    pending: list[Any] = []
    i = 0
    while head + len(pending) < target:
        key, region, _, members = households[i % len(households)]
        hid = household_id(key)
        at += timedelta(microseconds=10)
        for e in _cycle(hid, region, versions[key], members, at, i):
            pending.append(app.mapper.to_stored_event(e))
        versions[key] += 3
        i += 1
        if len(pending) >= 9000:
            app.recorder.insert_events(pending)
            head += len(pending)
            pending = []
    if pending:
        app.recorder.insert_events(pending)
    return app.recorder.max_notification_id() or 0
