"""Temporary assistance is a one-off grant; files recorded when it was a status read as grants."""

from __future__ import annotations

import pytest

from domain.households.model import Household
from domain.households.vocabulary import Assistance
from domain.shared.errors import RuleViolation
from tests.builders import NOW, VILLAGE


def household() -> Household:
    return Household(
        household_key="hh_" + "0" * 32,
        region_code=VILLAGE,
        channel="grid_worker",
        reported_by="grid-worker",
        discovered_at=NOW,
        members=[],
        note="",
    )


def test_grants_repeat_with_their_amounts_and_are_no_status() -> None:
    h = household()
    h.grant_temporary_aid(amount_fen=250_000, by="civil-affairs", at=NOW, reason="tuition")
    h.grant_temporary_aid(amount_fen=80_000, by="civil-affairs", at=NOW, reason="medicine")
    h.grant(status=Assistance.TEMPORARY, by="civil-affairs", at=NOW)
    assert [amount for _, amount, _ in h.grants] == [250_000, 80_000, None]
    assert Assistance.TEMPORARY.value not in h.assistance


def test_an_old_temporary_status_event_reads_as_one_grant_and_its_end_changes_nothing() -> None:
    h = household()
    h._grant(status="temporary", by="civil-affairs", granted_at=NOW)  # as the log once had it
    h._end(status="temporary", by="civil-affairs", ended_at=NOW, reason="paid")
    assert h.grants == [(NOW, None, "civil-affairs")] and h.assistance == {}


def test_there_is_no_temporary_status_to_end() -> None:
    with pytest.raises(RuleViolation, match="one-off"):
        household().end(status=Assistance.TEMPORARY, by="civil-affairs", at=NOW, reason="x")
