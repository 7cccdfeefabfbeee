"""Every reservation a match makes ends once, with an event: used, released or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.funds.model import Fund
from domain.matching.policy import Policy
from domain.reservations.model import State
from domain.shared.errors import InvalidValue, NotFound, RuleViolation
from tests.builders import NOW
from tests.unit.reservation_world import world

ONE, TWO = "330106198001010011", "330106198001010022"
XINYUAN = "Xinyuan social work"  # the referral's holder: the offering's provider


def test_a_refused_referral_releases_the_capacity_its_match_reserved() -> None:
    w = world(capacity=2)
    referral = w.accept(w.need(w.household(ONE)), w.offering)
    assert w.left() == 1
    w.app.refuse_referral(referral_id=referral, by=XINYUAN, at=NOW, reason="no nurse free")
    assert w.reservation(referral).state is State.RELEASED and w.left() == 2


def test_a_reassigned_referral_releases_what_the_first_provider_held() -> None:
    w = world(capacity=1)
    referral = w.accept(w.need(w.household(ONE)), w.offering)
    w.app.reassign_referral(
        referral_id=referral, by="town", to_department="health", at=NOW, reason="needs nursing"
    )
    assert w.reservation(referral).state is State.RELEASED
    assert w.left() == 1


def test_a_met_need_releases_a_reservation_nothing_used() -> None:
    w = world(capacity=1)
    referral = w.accept(w.need(w.household(ONE)), w.offering)
    w.app.accept_referral(referral_id=referral, by=XINYUAN, at=NOW)
    w.app.give_feedback(referral_id=referral, by=XINYUAN, at=NOW, content="visited")
    w.app.complete_referral(referral_id=referral, by=XINYUAN, at=NOW, outcome="cared for")
    assert w.reservation(referral).state is State.RELEASED
    assert w.left() == 1


def test_a_delivery_for_the_referral_uses_its_reservation_and_counts_capacity_once() -> None:
    w = world(capacity=5)
    key = w.household(ONE)
    referral = w.accept(w.need(key), w.offering, units=2)
    assert w.left() == 3
    w.deliver(key, referral_id=referral, person_times=1)
    assert w.reservation(referral).state is State.USED
    assert w.left() == 4  # the two reserved units became the one person-time delivered
    with pytest.raises(RuleViolation, match="no open reservation"):
        w.deliver(key, referral_id=referral)


def test_a_delivery_cannot_use_another_households_reservation() -> None:
    w = world()
    referral = w.accept(w.need(w.household(ONE)), w.offering)
    with pytest.raises(RuleViolation, match="not this one"):
        w.deliver(w.household(TWO), referral_id=referral)
    assert w.reservation(referral).state is State.OPEN


def test_a_reservation_expires_after_the_policys_days_once_and_gives_capacity_back() -> None:
    w = world(capacity=1)
    referral = w.accept(w.need(w.household(ONE)), w.offering)
    held = w.reservation(referral)
    assert held.expires_at == NOW + timedelta(days=Policy().reservation_days)
    assert not w.app.expire_reservation(reservation=held.id, now=held.expires_at - timedelta(1))
    assert w.app.expire_reservation(reservation=held.id, now=held.expires_at)
    assert not w.app.expire_reservation(reservation=held.id, now=held.expires_at)
    assert w.reservation(referral).state is State.EXPIRED and w.left() == 1


def test_a_coordinator_releases_a_reservation_with_a_reason_once() -> None:
    w = world(capacity=1)
    referral = w.accept(w.need(w.household(ONE)), w.offering)
    with pytest.raises(InvalidValue, match="reason"):
        w.app.release_reservation(referral_id=referral, reason=" ", by="town", at=NOW)
    w.app.release_reservation(referral_id=referral, reason="family moved", by="town", at=NOW)
    assert w.left() == 1
    with pytest.raises(RuleViolation, match="already released"):
        w.app.release_reservation(referral_id=referral, reason="again", by="town", at=NOW)
    with pytest.raises(NotFound, match="reserved nothing"):
        w.app.release_reservation(referral_id=w.fund, reason="none", by="town", at=NOW)


def test_accepting_a_fund_without_naming_the_grant_is_refused_naming_the_bounds() -> None:
    w = world()
    need_id = w.need(w.household(ONE))
    with pytest.raises(InvalidValue, match=r"from 100\.00 yuan to 20,000\.00 yuan"):
        w.accept(need_id, w.fund)
    with pytest.raises(InvalidValue, match="outside the policy's bounds"):
        w.accept(need_id, w.fund, amount_fen=5_000)
    with pytest.raises(InvalidValue, match="outside the policy's bounds"):
        w.accept(need_id, w.fund, amount_fen=2_000_001)


def test_paying_a_reserved_grant_uses_the_reservation_and_no_second_allocation() -> None:
    w = world()
    need_id = w.need(w.household(ONE))
    referral = w.accept(need_id, w.fund, amount_fen=180_000)
    with pytest.raises(RuleViolation, match=r"1,800\.00 yuan reserved"):
        w.app.disburse_money(
            fund_id=w.fund, need_id=need_id, amount_fen=250_000, reference="t", by="c", at=NOW
        )
    w.app.disburse_money(
        fund_id=w.fund, need_id=need_id, amount_fen=180_000, reference="t", by="c", at=NOW
    )
    fund = w.app.repository.get(w.fund)
    assert isinstance(fund, Fund)
    assert [a["status"] for a in fund.allocations.values()] == ["disbursed"]
    assert w.reservation(referral).state is State.USED


def test_cancelling_a_matched_allocation_releases_its_reservation() -> None:
    w = world()
    referral = w.accept(w.need(w.household(ONE)), w.fund, amount_fen=180_000)
    w.app.cancel_allocation(
        fund_id=w.fund, allocation_id=referral, reason="covered by 医疗救助", by="c", at=NOW
    )
    assert w.reservation(referral).state is State.RELEASED
    assert w.app.repository.get(w.fund).available() == 1_000_000


def test_a_delivery_by_a_provider_not_holding_the_contract_is_refused() -> None:
    w = world()
    with pytest.raises(RuleViolation, match="does not hold item 'home-care'"):
        w.deliver(w.household(ONE), provider_id=w.other_provider)


def test_a_delivery_to_a_household_the_offering_does_not_admit_is_refused() -> None:
    w = world()
    with pytest.raises(RuleViolation, match=r"not eligible for 'Home nursing'.*statuses"):
        w.deliver(w.household(ONE, dibao=False))
    assert w.left() == 5


def test_a_contract_item_naming_another_providers_offering_cannot_be_delivered() -> None:
    w = world()
    contract = w.app.sign_contract(
        provider_id=w.other_provider,
        title="Someone else's contract",
        budget_fen=100_000,
        funding_source="district",
        items=[
            {
                "item_id": "home-care",
                "need_type": "care",
                "category": "care",
                "offering_id": str(w.offering),
                "budget_fen": 100_000,
            }
        ],
        by="ca",
        at=NOW,
    ).aggregate_id
    w.contract = contract
    with pytest.raises(RuleViolation, match="not of the contract's provider"):
        w.deliver(w.household(ONE))


def test_capacity_is_counted_in_the_shanghai_month_of_the_accept() -> None:
    w = world(capacity=1)
    late = NOW.replace(day=30, hour=23, minute=30)  # 30 Nov 23:30 UTC is 1 Dec in Shanghai
    w.accept(w.need(w.household(ONE)), w.offering, at=late)
    assert w.left("2026-12") == 0 and w.left("2026-11") == 1
