"""Referral: the closed loop and its guards."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.referrals.model import Referral, ReferralStatus
from domain.shared.errors import InvalidValue, NotPermitted, RuleViolation
from tests.builders import NOW


def referral(to: str = "hrss") -> Referral:
    return Referral(
        id=uuid4(),
        need_id=uuid4(),
        household_id=uuid4(),
        region_code="330106002051",
        from_department="civil-affairs",
        to_department=to,
        requested_at=NOW,
        note="",
        recorded_at=NOW,
        acceptance_due_at=NOW + timedelta(hours=24),
    )


def event_names(r: Referral) -> list[str]:
    return [type(e).__name__ for e in r.collect_events()]


def test_the_full_loop_records_each_step_in_order() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    r.route(by="hrss", to_unit="employment centre", at=NOW, note="")
    r.give_feedback(by="hrss", at=NOW, content="placed in training")
    r.complete(by="hrss", at=NOW, outcome="employed")
    r.follow_up(by="civil-affairs", at=NOW, satisfied=True, note="")
    assert event_names(r) == [
        "Requested",
        "Accepted",
        "Routed",
        "FeedbackGiven",
        "Completed",
        "FollowedUp",
    ]
    assert r.status is ReferralStatus.FOLLOWED_UP


def test_feedback_is_due_24_hours_after_acceptance() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    assert r.feedback_due_at == NOW + timedelta(hours=24)


def test_an_accepted_referral_without_feedback_is_overdue_after_24_hours() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    assert not r.is_overdue(NOW + timedelta(hours=23, minutes=59))
    assert r.is_overdue(NOW + timedelta(hours=24, seconds=1))


def test_feedback_ends_the_overdue_state() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    r.give_feedback(by="hrss", at=NOW + timedelta(hours=30), content="late but done")
    assert not r.is_overdue(NOW + timedelta(hours=31))


def test_only_the_holding_department_can_accept() -> None:
    r = referral(to="hrss")
    with pytest.raises(NotPermitted, match="held by 'hrss'"):
        r.accept(by="health", at=NOW)


def test_a_referral_cannot_be_completed_before_feedback() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    with pytest.raises(RuleViolation, match="complete needs it to be feedback_given"):
        r.complete(by="hrss", at=NOW, outcome="done")


def test_a_referral_cannot_be_accepted_twice() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    with pytest.raises(RuleViolation, match="is accepted; accept needs it to be requested"):
        r.accept(by="hrss", at=NOW)


def test_refusal_needs_a_reason() -> None:
    with pytest.raises(InvalidValue, match="reason"):
        referral().refuse(by="hrss", at=NOW, reason="  ")


def test_an_accepted_referral_cannot_be_refused() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    with pytest.raises(RuleViolation):
        r.refuse(by="hrss", at=NOW, reason="not ours")


def test_reassignment_moves_the_holder_and_clears_the_deadline() -> None:
    r = referral(to="hrss")
    r.accept(by="hrss", at=NOW)
    r.reassign(by="civil-affairs", to_department="health", at=NOW, reason="medical first")
    assert (r.holder, r.status, r.feedback_due_at) == ("health", ReferralStatus.REQUESTED, None)
    with pytest.raises(NotPermitted):
        r.accept(by="hrss", at=NOW)
    r.accept(by="health", at=NOW)


def test_reassigning_to_the_current_holder_is_refused() -> None:
    with pytest.raises(RuleViolation, match="already held"):
        referral(to="hrss").reassign(by="ca", to_department="hrss", at=NOW, reason="x")


def test_follow_up_only_after_completion() -> None:
    with pytest.raises(RuleViolation):
        referral().follow_up(by="civil-affairs", at=NOW, satisfied=True, note="")


def test_routing_needs_a_unit() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    with pytest.raises(InvalidValue, match="to_unit"):
        r.route(by="hrss", to_unit="", at=NOW, note="")
