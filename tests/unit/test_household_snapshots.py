"""A household file with every kind of state survives a snapshot through the stored JSON."""

from __future__ import annotations

from datetime import timedelta

from domain.alliance import Alliance
from domain.households.model import Household
from domain.households.vocabulary import Assistance
from domain.shared.snapshots import ExactSnapshot
from domain.standards.deadlines import DeadlinePolicy
from tests.builders import NOW, VILLAGE


def test_every_part_of_a_household_comes_back_from_its_stored_snapshot() -> None:
    h = Household(
        household_key="hh_" + "1" * 32,
        region_code=VILLAGE,
        channel="self_application",
        reported_by="resident",
        discovered_at=NOW,
        members=[
            {"relation": "head", "birth_year": 1970, "circumstances": [], "disability_grade": None}
        ],
        note="",
    )
    policy = DeadlinePolicy()
    h.receive_application(recorded_at=NOW, policy=policy)
    h.record_overdue(now=NOW + timedelta(days=2), policy=policy)
    h.grant(status=Assistance.DIBAO, by="civil-affairs", at=NOW)
    h.grant_temporary_aid(amount_fen=250_000, by="civil-affairs", at=NOW, reason="tuition")
    h.assess(difficulty_circle=2, group="single-parent", plan="", by="civil-affairs", at=NOW)

    h.collect_events()
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    stored = app.mapper.to_stored_event(ExactSnapshot.take(h))
    restored = app.mapper.to_domain_event(stored).mutate(None)

    assert vars(restored) == vars(h)
