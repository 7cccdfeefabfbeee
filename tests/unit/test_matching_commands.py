"""Coordinators' actions: accept (atomic with the reservation), reject, escalate; the policy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.alliance import Alliance
from domain.funds.application import DonorKind
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Assistance, Channel, Member
from domain.ingest.model import EventKey
from domain.matching.model import Triage, triage_id
from domain.matching.policy import Exclusion, Policy
from domain.needs.model import NeedStatus
from domain.referrals.model import Referral
from domain.shared.errors import ConcurrentUpdate, NoConsent, NotFound, RuleViolation
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind
from tests.builders import NOW, VILLAGE


def alliance() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def household(app: Alliance, number: str = "330106198001010011") -> str:
    key = pseudonymise(number, "s")
    app.report_discovery(
        household_key=key,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="gw",
        at=NOW,
        members=[Member("head", 1944, ())],
    )
    app.grant_assistance(household_key=key, status=Assistance.DIBAO, by="ca", at=NOW)
    app.give_consent(
        household_key=key,
        recipient="alliance",
        purpose="referral",
        document="form-1",
        by="ca",
        at=NOW,
    )
    return key


def need(app: Alliance, key: str, category: Category = Category.CARE) -> UUID:
    return app.raise_need(
        household_key=key,
        need_type=NeedType.CARE,
        category=category,
        urgency=Urgency.HIGH,
        description="Home care after discharge",
        raised_by="ca",
        at=NOW,
    ).aggregate_id


def offering(app: Alliance, capacity: int = 1, **terms: Any) -> UUID:
    provider = app.register_provider(
        name="Xinyuan social work",
        kind=ProviderKind.SOCIAL_WORK_PROVIDER,
        region_code="330106",
        description="",
        by="ca",
        at=NOW,
    ).aggregate_id
    raw = {
        "name": "Home nursing",
        "need_type": "care",
        "category": "care",
        "areas": ["330106002"],
        "capacity": capacity,
        **terms,
    }
    return app.publish_offering(
        provider_id=provider, terms=OfferingTerms.parse(raw), by="ca", at=NOW
    ).aggregate_id


def accept(app: Alliance, need_id: UUID, candidate: UUID, **extra: Any) -> Any:
    return app.accept_candidate(
        need_id=need_id, candidate_id=candidate, by="town-coordinator", at=NOW, **extra
    )


def test_accepting_an_offering_refers_the_need_and_takes_a_unit_in_one_commit() -> None:
    app = alliance()
    need_id, offering_id = need(app, household(app)), offering(app, capacity=3)
    before = app.recorder.max_notification_id()
    outcome = accept(app, need_id, offering_id)
    referral = app.repository.get(outcome.aggregate_id)
    assert isinstance(referral, Referral)
    assert referral.holder == "Xinyuan social work"
    assert app.repository.get(need_id).status is NeedStatus.REFERRED
    held = app.repository.get(offering_id)
    assert held.remaining(f"{NOW:%Y-%m}") == 2
    triage = app.repository.get(triage_id(need_id))
    assert isinstance(triage, Triage) and triage.accepted == [str(offering_id)]
    # Referral, need, offering, triage (opened + accepted) and the reservation: six events,
    # one commit.
    written = app.recorder.select_notifications(start=before + 1, limit=100)
    assert len(written) == 6


def test_two_coordinators_accepting_the_last_unit_one_wins_the_other_is_refused_clearly() -> None:
    app = alliance()
    first = need(app, household(app, "330106198001010011"))
    second = need(app, household(app, "330106198001010022"))
    last_unit = offering(app, capacity=1)
    accept(app, first, last_unit)
    before = app.recorder.max_notification_id()
    with pytest.raises(RuleViolation, match="0 of 1 left this month"):
        accept(app, second, last_unit)
    assert app.recorder.max_notification_id() == before  # nothing half-done
    assert app.repository.get(second).status is NeedStatus.OPEN


def test_a_race_for_the_last_unit_between_load_and_save_stores_only_the_winner(monkeypatch) -> None:
    app = alliance()
    first = need(app, household(app, "330106198001010011"))
    second = need(app, household(app, "330106198001010022"))
    last_unit = offering(app, capacity=1)
    commit = app._commit
    raced = []

    def rival_commits_first(*args: Any, **kwargs: Any) -> Any:
        if not raced:
            raced.append(True)
            monkeypatch.setattr(app, "_commit", commit)
            accept(app, first, last_unit)  # the other coordinator, after our load
        return commit(*args, **kwargs)

    monkeypatch.setattr(app, "_commit", rival_commits_first)
    with pytest.raises(ConcurrentUpdate, match="reload it and try again"):
        accept(app, second, last_unit)
    assert app.repository.get(second).status is NeedStatus.OPEN
    assert app.repository.get(first).status is NeedStatus.REFERRED
    assert app.repository.get(last_unit).remaining(f"{NOW:%Y-%m}") == 0


def test_an_ineligible_candidate_is_refused_with_the_failed_rules() -> None:
    app = alliance()
    need_id = need(app, household(app), category=Category.MEDICAL)
    offering_id = offering(app, capacity=3, eligibility={"statuses": ["tekun"]})
    with pytest.raises(RuleViolation, match=r"type: gives care help.*statuses: needs one of tekun"):
        accept(app, need_id, offering_id)


def test_a_policy_list_exclusion_refuses_the_accept() -> None:
    app = alliance()
    need_id, offering_id = need(app, household(app)), offering(app)
    app.adopt_matching_policy(
        region_code="330106",
        settings=Policy(exclusions=(Exclusion(reason="not for dibao", statuses=("dibao",)),)),
        by="ca",
        reason="test",
        at=NOW,
    )
    with pytest.raises(RuleViolation, match="not for dibao"):
        accept(app, need_id, offering_id)


def fund(app: Alliance, yuan: int) -> UUID:
    fund_id = app.open_fund(
        name="Community fund", region_code="330106", managed_by="charity", description="", at=NOW
    ).aggregate_id
    app.receive_donation(
        fund_id=fund_id,
        donor="Lvyuan",
        donor_kind=DonorKind.COMPANY,
        amount_fen=yuan * 100,
        earmark=None,
        by="charity",
        at=NOW,
    )
    return fund_id


def test_accepting_a_fund_reserves_the_named_grant_under_the_referral_id() -> None:
    app = alliance()
    need_id, fund_id = need(app, household(app)), fund(app, 3000)
    referral_id = accept(app, need_id, fund_id, amount_fen=250_000).aggregate_id
    held = app.repository.get(fund_id)
    assert held.available() == 50_000
    assert held.allocations[str(referral_id)]["amount_fen"] == 250_000


def test_money_beyond_the_balance_is_refused_and_nothing_is_stored() -> None:
    app = alliance()
    need_id, fund_id = need(app, household(app)), fund(app, 3000)
    before = app.recorder.max_notification_id()
    with pytest.raises(RuleViolation, match=r"cannot allocate 4,000\.00 yuan"):
        accept(app, need_id, fund_id, amount_fen=400_000)
    assert app.recorder.max_notification_id() == before


def test_an_accept_sent_twice_refers_the_need_once() -> None:
    app = alliance()
    need_id, offering_id = need(app, household(app)), offering(app, capacity=3)
    key = EventKey("/330106/town", "acc-1", "match.candidate_accepted.v1", "d")
    first = accept(app, need_id, offering_id, key=key)
    again = accept(app, need_id, offering_id, key=key)
    assert again.duplicate and again.aggregate_id == first.aggregate_id
    assert app.repository.get(offering_id).remaining(f"{NOW:%Y-%m}") == 2


def test_a_rejected_candidate_cannot_then_be_accepted() -> None:
    app = alliance()
    need_id, offering_id = need(app, household(app)), offering(app)
    app.reject_candidate(
        need_id=need_id, candidate_id=offering_id, reason="family refused", by="ca", at=NOW
    )
    with pytest.raises(RuleViolation, match="family refused"):
        accept(app, need_id, offering_id)


def test_escalation_climbs_village_town_county_and_stops() -> None:
    app = alliance()
    need_id = need(app, household(app))
    for expected in ("330106002", "330106"):
        app.escalate_need(need_id=need_id, reason="no local service", by="ca", at=NOW)
        assert app.repository.get(triage_id(need_id)).owner_code == expected
    with pytest.raises(RuleViolation, match="already with the county"):
        app.escalate_need(need_id=need_id, reason="again", by="ca", at=NOW)


def test_a_referred_need_can_no_longer_be_matched() -> None:
    app = alliance()
    need_id, offering_id = need(app, household(app)), offering(app, capacity=5)
    accept(app, need_id, offering_id)
    with pytest.raises(RuleViolation, match="only an open need"):
        accept(app, need_id, offering_id)


def test_an_unknown_candidate_is_not_found() -> None:
    app = alliance()
    need_id = need(app, household(app))
    with pytest.raises(NotFound):
        accept(app, need_id, need_id)


def test_each_policy_change_is_a_new_version() -> None:
    app = alliance()
    assert app.matching_policy("330106").version == 0
    for reason in ("first", "second"):
        app.adopt_matching_policy(
            region_code="330106002", settings=Policy(circle_km=5), by="ca", reason=reason, at=NOW
        )
    policy = app.matching_policy("330106")
    assert (policy.version, policy.circle_km) == (2, 5)


def test_accepting_a_candidate_for_a_household_without_consent_is_refused_and_takes_nothing() -> (
    None
):
    app = alliance()
    key = pseudonymise("330106198001010099", "s")
    app.report_discovery(
        household_key=key,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="gw",
        at=NOW,
        members=[Member("head", 1944, ())],
    )
    app.grant_assistance(household_key=key, status=Assistance.DIBAO, by="ca", at=NOW)
    need_id, offering_id = need(app, key), offering(app, capacity=3)
    with pytest.raises(NoConsent, match="sharing with 'Xinyuan social work'"):
        accept(app, need_id, offering_id)
    assert app.repository.get(offering_id).remaining(f"{NOW:%Y-%m}") == 3
    assert app.repository.get(need_id).status is NeedStatus.OPEN
