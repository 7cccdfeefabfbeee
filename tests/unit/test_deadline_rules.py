"""Deadlines: judged on recorded time, breached once per deadline, escalated up the ladder."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.referrals.model import Referral
from domain.shared.errors import InvalidValue
from domain.standards.deadlines import DeadlinePolicy, Step, next_level
from tests.builders import NOW

DAY = timedelta(hours=24)


def referral(region: str = "330106002051") -> Referral:
    return Referral(
        id=uuid4(),
        need_id=uuid4(),
        household_id=uuid4(),
        region_code=region,
        from_department="civil-affairs",
        to_department="hrss",
        requested_at=NOW,
        note="",
        recorded_at=NOW,
        acceptance_due_at=NOW + DAY,
    )


def test_a_request_owes_acceptance_a_day_after_it_was_recorded() -> None:
    r = referral()
    assert r.pending() == (Step.ACCEPTANCE, NOW + DAY)
    assert not r.is_overdue(NOW + DAY) and r.is_overdue(NOW + DAY + timedelta(seconds=1))


def test_a_breach_is_recorded_once_per_deadline_and_escalates_one_level() -> None:
    r = referral()
    policy = DeadlinePolicy()
    assert r.record_overdue(now=NOW + timedelta(hours=23), policy=policy) is False
    assert r.record_overdue(now=NOW + timedelta(hours=25), policy=policy) is True
    assert r.record_overdue(now=NOW + timedelta(hours=40), policy=policy) is False
    assert r.escalated_to == "330106002"
    kinds = [type(e).__name__ for e in r.collect_events()]
    assert kinds == ["Requested", "DeadlineBreached", "Escalated"]


def test_an_answer_recorded_after_its_deadline_is_late_whatever_time_it_claims() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW, recorded_at=NOW + timedelta(hours=30))
    accepted = r.collect_events()[-1]
    assert accepted.late is True and accepted.accepted_at == NOW
    assert r.feedback_due_at == NOW + timedelta(hours=30) + DAY


def test_the_feedback_deadline_follows_the_alliances_policy() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW, policy=DeadlinePolicy(feedback_hours=4))
    assert r.pending() == (Step.FEEDBACK, NOW + timedelta(hours=4))


def test_the_ladder_goes_up_a_level_at_a_time_and_stops_at_its_top() -> None:
    ladder = ("town", "county")
    assert next_level("330106002051", ladder) == "330106002"
    assert next_level("330106002", ladder) == "330106"
    assert next_level("330106", ladder) is None
    assert next_level("330106002051", ("county",)) == "330106"
    assert next_level("330106002051", ()) is None


@pytest.mark.parametrize(
    "raw",
    [{"acceptance_hours": 0}, {"feedback_hours": True}, {"ladder": ["county", "town"]}],
)
def test_a_policy_outside_the_rules_is_refused(raw: dict) -> None:
    with pytest.raises(InvalidValue):
        DeadlinePolicy.parse(raw)


def test_an_alliance_adopts_deadline_versions_that_every_region_of_it_reads() -> None:
    from domain.alliance import Alliance
    from domain.shared.errors import VersionMismatch

    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert app.deadline_policy("330106002051").version == 0
    app.adopt_deadlines(
        region_code="330106002",
        policy=DeadlinePolicy(feedback_hours=4),
        by="ca",
        reason="a",
        at=NOW,
    )
    with pytest.raises(VersionMismatch):
        app.adopt_deadlines(
            region_code="330106",
            policy=DeadlinePolicy(),
            by="ca",
            reason="b",
            at=NOW,
            expected_version=7,
        )
    app.adopt_deadlines(
        region_code="330106",
        policy=DeadlinePolicy(feedback_hours=8),
        by="ca",
        reason="c",
        at=NOW,
        expected_version=2,
    )
    policy = app.deadline_policy("330106002051")
    assert (policy.version, policy.feedback_hours) == (2, 8)
