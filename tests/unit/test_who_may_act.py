"""Who may act on a record: the holder, the requester, the fund's owner, the provider named,
or a coordinator whose region covers it; everybody else is refused (403)."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.alliance import Alliance
from domain.funds.application import DonorKind
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.shared.acting import Acting
from domain.shared.errors import NotPermitted
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.supply.vocabulary import ProviderKind
from tests.builders import NOW, VILLAGE

KEY = pseudonymise("330106198001010011", "s")
TOWN = VILLAGE[:9]
STRANGER = Acting("stranger")
TOWN_COORDINATOR = Acting("town-wang", coordinator_of=TOWN)
OTHER_TOWN = Acting("town-li", coordinator_of="330106009")


def casework() -> tuple[Alliance, UUID, UUID]:
    """A household that consented, a need, and a referral from civil affairs held by health."""
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.report_discovery(
        household_key=KEY,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="gw",
        at=NOW,
        members=[Member("head", 1950, ())],
    )
    app.give_consent(
        household_key=KEY, recipient="alliance", purpose="help", document="f1", by="ca", at=NOW
    )
    need = app.raise_need(
        household_key=KEY,
        need_type=NeedType.SURVIVAL,
        category=Category.MEDICAL,
        urgency=Urgency.HIGH,
        description="dialysis",
        raised_by="civil-affairs",
        at=NOW,
    ).aggregate_id
    referral = app.request_referral(
        need_id=need, from_department="civil-affairs", to_department="health", at=NOW
    ).aggregate_id
    return app, need, referral


def test_a_referral_held_by_another_cannot_be_accepted() -> None:
    app, _, referral = casework()
    with pytest.raises(NotPermitted, match="held by 'health'; 'stranger' cannot accept"):
        app.accept_referral(referral_id=referral, by="stranger", at=NOW)


def test_a_stranger_cannot_reassign_a_referral_but_its_holder_can() -> None:
    app, _, referral = casework()
    with pytest.raises(NotPermitted, match="only 'health' or a coordinator of region"):
        app.reassign_referral(
            referral_id=referral,
            by="stranger",
            to_department="education",
            at=NOW,
            reason="mine now",
            acting=STRANGER,
        )
    app.reassign_referral(
        referral_id=referral,
        by="health",
        to_department="education",
        at=NOW,
        reason="school costs",
        acting=Acting("health"),
    )
    assert app.repository.get(referral).holder == "education"


def test_a_coordinator_reassigns_only_inside_the_region_it_covers() -> None:
    app, _, referral = casework()
    arguments = {"referral_id": referral, "to_department": "education", "at": NOW, "reason": "r"}
    with pytest.raises(NotPermitted, match="'town-li' cannot reassign"):
        app.reassign_referral(by="town-li", acting=OTHER_TOWN, **arguments)
    app.reassign_referral(by="town-wang", acting=TOWN_COORDINATOR, **arguments)
    assert app.repository.get(referral).holder == "education"


def test_a_coordinator_of_the_region_may_route_a_referral_it_does_not_hold() -> None:
    app, _, referral = casework()
    app.accept_referral(referral_id=referral, by="health", at=NOW)
    with pytest.raises(NotPermitted, match="cannot route"):
        app.route_referral(
            referral_id=referral, by="town-li", to_unit="ward", at=NOW, acting=OTHER_TOWN
        )
    app.route_referral(
        referral_id=referral, by="town-wang", to_unit="ward", at=NOW, acting=TOWN_COORDINATOR
    )
    assert app.repository.get(referral).status.value == "routed"


def test_only_the_requester_or_a_coordinator_follows_a_referral_up() -> None:
    app, _, referral = casework()
    app.accept_referral(referral_id=referral, by="health", at=NOW)
    app.give_feedback(referral_id=referral, by="health", at=NOW, content="seen")
    app.complete_referral(referral_id=referral, by="health", at=NOW, outcome="treated")
    with pytest.raises(NotPermitted, match="only 'civil-affairs' or a coordinator"):
        app.follow_up_referral(
            referral_id=referral, by="health", at=NOW, satisfied=True, acting=Acting("health")
        )
    app.follow_up_referral(
        referral_id=referral,
        by="civil-affairs",
        at=NOW,
        satisfied=True,
        acting=Acting("civil-affairs"),
    )


def a_fund(app: Alliance) -> UUID:
    fund = app.open_fund(
        name="District fund", region_code="330106", managed_by="charity", description="", at=NOW
    ).aggregate_id
    app.receive_donation(
        fund_id=fund,
        donor="Lvyuan Co.",
        donor_kind=DonorKind.COMPANY,
        amount_fen=1_000_000,
        earmark=None,
        by="charity",
        at=NOW,
    )
    return fund


def test_a_stranger_cannot_allocate_or_disburse_a_funds_money() -> None:
    app, need, _ = casework()
    fund = a_fund(app)
    money = {"fund_id": fund, "need_id": need, "amount_fen": 500_000, "earmark": None, "at": NOW}
    with pytest.raises(NotPermitted, match="'stranger' cannot allocate money of fund"):
        app.allocate_money(by="stranger", acting=STRANGER, **money)
    with pytest.raises(NotPermitted, match="'stranger' cannot disburse money of fund"):
        app.disburse_money(reference="r", by="stranger", acting=STRANGER, **money)
    assert app.repository.get(fund).available() == 1_000_000


def test_the_funds_owner_or_a_coordinator_of_its_region_moves_its_money() -> None:
    app, need, _ = casework()
    fund = a_fund(app)
    money = {"fund_id": fund, "need_id": need, "amount_fen": 100_000, "earmark": None, "at": NOW}
    app.allocate_money(by="charity", acting=Acting("charity"), **money)
    district = Acting("district-zhou", coordinator_of="330106")
    app.disburse_money(reference="r", by="district-zhou", acting=district, **money)
    assert app.repository.get(fund).available() == 800_000


def test_a_delivery_is_recorded_only_by_the_provider_the_contract_names() -> None:
    app, _, _ = casework()
    provider = app.register_provider(
        name="Xinyuan",
        kind=ProviderKind.SOCIAL_WORK_PROVIDER,
        region_code="330106",
        description="",
        by="ca",
        at=NOW,
    ).aggregate_id
    item = {"item_id": "care", "need_type": "care", "category": "care", "budget_fen": 100_000}
    contract = app.sign_contract(
        provider_id=provider,
        title="Home care",
        budget_fen=100_000,
        funding_source="",
        items=[item],
        by="ca",
        at=NOW,
    ).aggregate_id
    delivery = {
        "contract_id": contract,
        "item_id": "care",
        "household_key": KEY,
        "person_times": 1,
        "cost_fen": 100,
        "at": NOW,
    }
    other = Acting("another-provider", provider_id="00000000-0000-0000-0000-000000000001")
    with pytest.raises(NotPermitted, match="only its provider"):
        app.record_delivery(by="another-provider", acting=other, **delivery)
    app.record_delivery(
        by="xinyuan", acting=Acting("xinyuan", provider_id=str(provider)), **delivery
    )


def test_internal_callers_without_credentials_are_trusted_as_before() -> None:
    app, _, referral = casework()
    app.reassign_referral(
        referral_id=referral, by="civil-affairs", to_department="education", at=NOW, reason="r"
    )
    assert app.repository.get(referral).holder == "education"


def test_a_coordinator_raises_and_closes_needs_only_inside_its_region() -> None:
    app, _, _ = casework()
    raise_one = {
        "household_key": KEY,
        "need_type": NeedType.CARE,
        "category": Category.CARE,
        "urgency": Urgency.NORMAL,
        "description": "home care",
        "at": NOW,
    }
    with pytest.raises(NotPermitted, match="outside it: it cannot raise a need for"):
        app.raise_need(raised_by="town-li", acting=OTHER_TOWN, **raise_one)
    raised = app.raise_need(raised_by="town-wang", acting=TOWN_COORDINATOR, **raise_one)
    with pytest.raises(NotPermitted, match="cannot close"):
        app.close_need(
            need_id=raised.aggregate_id, by="town-li", reason="moved", at=NOW, acting=OTHER_TOWN
        )
    app.close_need(
        need_id=raised.aggregate_id, by="town-wang", reason="moved", at=NOW, acting=TOWN_COORDINATOR
    )
