"""Sharing a household's file needs a consent or a legal basis in force for the recipient."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from domain.alliance import Alliance
from domain.households.identity import household_id, pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.shared.errors import InvalidValue, NoConsent, RuleViolation
from domain.shared.taxonomy import Category, NeedType, Urgency
from tests.builders import NOW, VILLAGE

KEY = pseudonymise("330106198001010011", "s")


def a_need(app: Alliance) -> UUID:
    app.report_discovery(
        household_key=KEY,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="gw",
        at=NOW,
        members=[Member("head", 1950, ())],
    )
    return app.raise_need(
        household_key=KEY,
        need_type=NeedType.SURVIVAL,
        category=Category.MEDICAL,
        urgency=Urgency.HIGH,
        description="dialysis",
        raised_by="civil-affairs",
        at=NOW,
    ).aggregate_id


def alliance() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def consent(app: Alliance, recipient: str = "alliance", until: str | None = None) -> None:
    app.give_consent(
        household_key=KEY,
        recipient=recipient,
        purpose="help with medical costs",
        document="form 17",
        until=until,
        by="civil-affairs",
        at=NOW,
    )


def refer(app: Alliance, need: UUID, to: str = "health", days_later: int = 0) -> object:
    return app.request_referral(
        need_id=need,
        from_department="civil-affairs",
        to_department=to,
        at=NOW + timedelta(days=days_later),
    )


def test_a_referral_without_consent_or_legal_basis_is_refused_naming_the_recipient() -> None:
    app = alliance()
    need = a_need(app)
    with pytest.raises(NoConsent, match="no recorded consent or legal basis for sharing with"):
        refer(app, need)
    assert app.repository.get(need).status.value == "open"


def test_a_consent_to_the_recipient_allows_the_referral_and_not_to_another() -> None:
    app = alliance()
    need = a_need(app)
    consent(app, recipient="health")
    with pytest.raises(NoConsent, match="'education'"):
        refer(app, need, to="education")
    refer(app, need, to="health")


def test_a_consent_to_the_alliance_covers_every_member() -> None:
    app = alliance()
    need = a_need(app)
    consent(app)
    refer(app, need, to="education")


def test_a_withdrawn_consent_no_longer_allows_sharing() -> None:
    app = alliance()
    need = a_need(app)
    consent(app)
    app.withdraw_consent(household_key=KEY, recipient="alliance", by="civil-affairs", at=NOW)
    with pytest.raises(NoConsent):
        refer(app, need)


def test_a_consent_past_its_last_day_no_longer_allows_sharing() -> None:
    app = alliance()
    need = a_need(app)
    consent(app, until=(NOW + timedelta(days=30)).date().isoformat())
    with pytest.raises(NoConsent):
        refer(app, need, days_later=31)
    refer(app, need, days_later=30)


def test_a_legal_basis_allows_sharing_without_consent() -> None:
    app = alliance()
    need = a_need(app)
    app.record_legal_basis(
        household_key=KEY, article="urgent assistance article", by="civil-affairs", at=NOW
    )
    refer(app, need)


def test_withdrawing_a_consent_never_given_is_refused() -> None:
    app = alliance()
    a_need(app)
    with pytest.raises(RuleViolation, match="no consent to 'health' to withdraw"):
        app.withdraw_consent(household_key=KEY, recipient="health", by="ca", at=NOW)


def test_a_consent_ending_before_the_day_it_is_recorded_is_invalid() -> None:
    app = alliance()
    a_need(app)
    with pytest.raises(InvalidValue, match="until"):
        consent(app, until=(NOW - timedelta(days=1)).date().isoformat())


def test_a_reassignment_to_a_department_without_consent_is_refused() -> None:
    app = alliance()
    need = a_need(app)
    consent(app, recipient="health")
    referral = refer(app, need).aggregate_id  # type: ignore[attr-defined]
    with pytest.raises(NoConsent, match="'education'"):
        app.reassign_referral(
            referral_id=referral, by="health", to_department="education", at=NOW, reason="r"
        )


def test_the_household_keeps_its_consents_and_legal_bases() -> None:
    app = alliance()
    a_need(app)
    consent(app, recipient="health")
    app.record_legal_basis(household_key=KEY, recipient="hrss", article="a", by="ca", at=NOW)
    household = app.repository.get(household_id(KEY))
    assert household.consents == {"health": None}
    assert household.legal_bases == {"hrss": None}
    assert household.may_share_with("hrss", NOW) and not household.may_share_with("x", NOW)
