"""Erasing a household: a reasoned command, recorded once, that leaves the file's facts."""

from __future__ import annotations

import pytest

from domain.alliance import Alliance
from domain.households.identity import household_id, pseudonymise
from domain.households.model import Household
from domain.households.vocabulary import Assistance, Channel, Member
from domain.shared.errors import InvalidValue, RuleViolation
from tests.builders import NOW, VILLAGE

KEY = pseudonymise("330106198001010011", "test-secret")


@pytest.fixture
def app() -> Alliance:
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.report_discovery(
        household_key=KEY,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="grid-worker",
        at=NOW,
        members=[Member("head", 1970, ())],
    )
    return app


def test_an_erasure_without_a_legal_reason_is_refused(app: Alliance) -> None:
    with pytest.raises(InvalidValue, match="reason"):
        app.erase_household(household_key=KEY, reason="  ", by="civil-affairs", at=NOW)


def test_an_erasure_is_recorded_with_its_reason_and_reference(app: Alliance) -> None:
    app.erase_household(
        household_key=KEY, reason="PIPL art. 47", reference="req-7", by="civil-affairs", at=NOW
    )
    household = app.repository.get(household_id(KEY))
    assert household.erased_at == NOW
    erased = list(app.events.get(household_id(KEY)))[-1]
    assert isinstance(erased, Household.Erased)
    assert (erased.by, erased.reason, erased.reference) == (
        "civil-affairs",
        "PIPL art. 47",
        "req-7",
    )


def test_a_household_is_erased_once(app: Alliance) -> None:
    app.erase_household(household_key=KEY, reason="PIPL art. 47", by="civil-affairs", at=NOW)
    with pytest.raises(RuleViolation, match="already erased"):
        app.erase_household(household_key=KEY, reason="again", by="civil-affairs", at=NOW)


def test_an_erased_households_coded_facts_still_change(app: Alliance) -> None:
    app.erase_household(household_key=KEY, reason="PIPL art. 47", by="civil-affairs", at=NOW)
    app.grant_assistance(household_key=KEY, status=Assistance.DIBAO, by="civil-affairs", at=NOW)
    assert "dibao" in app.repository.get(household_id(KEY)).assistance
