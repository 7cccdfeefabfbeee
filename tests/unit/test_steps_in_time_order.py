"""A step of a record cannot be dated before the step it follows."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.needs.model import Need
from domain.shared.errors import InvalidValue
from tests.builders import NOW
from tests.unit.test_referral_rules import referral

EARLIER = NOW - timedelta(days=365 * 30)


def test_accepting_before_the_request_is_refused_naming_the_time() -> None:
    r = referral()
    with pytest.raises(InvalidValue) as refused:
        r.accept(by="hrss", at=NOW - timedelta(seconds=2))
    assert refused.value.field == "time" and "before the step it follows" in str(refused.value)


@pytest.mark.parametrize("step", ["route", "feedback", "complete", "follow_up"])
def test_each_later_step_dated_before_the_one_it_follows_is_refused(step) -> None:
    r = referral()
    r.accept(by="hrss", at=NOW + timedelta(hours=1))
    acts = {
        "route": lambda at: r.route(by="hrss", to_unit="centre", at=at, note=""),
        "feedback": lambda at: r.give_feedback(by="hrss", at=at, content="done"),
        "complete": lambda at: r.complete(by="hrss", at=at, outcome="employed"),
        "follow_up": lambda at: r.follow_up(by="ca", at=at, satisfied=True, note=""),
    }
    order = list(acts)
    for earlier in order[: order.index(step)]:
        acts[earlier](NOW + timedelta(hours=2))
    with pytest.raises(InvalidValue):
        acts[step](EARLIER)
    acts[step](NOW + timedelta(hours=2))  # at the same instant as the step before: fine


def test_a_completion_dated_decades_before_its_request_is_refused() -> None:
    r = referral()
    r.accept(by="hrss", at=NOW)
    r.give_feedback(by="hrss", at=NOW, content="placed")
    with pytest.raises(InvalidValue):
        r.complete(by="hrss", at=EARLIER, outcome="employed")


def test_a_need_cannot_be_closed_or_referred_before_it_was_raised() -> None:
    need = Need(
        id=uuid4(),
        household_id=uuid4(),
        region_code="330106002051",
        need_type="care",
        category="care",
        urgency="normal",
        description="d",
        raised_by="ca",
        raised_at=NOW,
        policy="",
    )
    with pytest.raises(InvalidValue):
        need.close(by="ca", reason="moved", at=EARLIER)
    with pytest.raises(InvalidValue):
        need.refer(referral_id=uuid4(), at=EARLIER)
    need.close(by="ca", reason="moved", at=NOW)


def test_a_step_in_the_same_second_as_the_one_it_follows_is_in_order() -> None:
    r = referral()  # requested at NOW, to the microsecond the service chose
    r.accept(by="hrss", at=NOW - timedelta(microseconds=999_999))
