"""The alliance application: discovery, needs and referrals as commands, once each."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Assistance, Channel, Member
from domain.ingest.model import EventKey
from domain.needs.model import Need, NeedStatus
from domain.shared.errors import (
    ConcurrentUpdate,
    EventIdReused,
    InvalidValue,
    NotFound,
    RuleViolation,
    VersionMismatch,
)
from domain.shared.taxonomy import Category, NeedType, Urgency
from tests.builders import NOW, VILLAGE

KEY = pseudonymise("330106198001010011", "test-secret")


@pytest.fixture
def app() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def discover(app: Alliance, key: EventKey | None = None, channel: Channel = Channel.GRID_WORKER):
    return app.report_discovery(
        household_key=KEY,
        region_code=VILLAGE,
        channel=channel,
        reported_by="grid-worker",
        at=NOW,
        members=[Member("head", 1970, ())],
        key=key,
    )


def consent(app: Alliance) -> None:
    """The household consents to sharing its file within the alliance (referrals need it)."""
    app.give_consent(
        household_key=KEY,
        recipient="alliance",
        purpose="referral",
        document="form-1",
        by="ca",
        at=NOW,
    )


def raise_need(app: Alliance, key: EventKey | None = None):
    return app.raise_need(
        household_key=KEY,
        need_type=NeedType.SURVIVAL,
        category=Category.MEDICAL,
        urgency=Urgency.HIGH,
        description="Dialysis",
        raised_by="civil-affairs",
        at=NOW,
        key=key,
    )


def event_key(event_id: str = "e1", digest: str = "d1") -> EventKey:
    return EventKey("/330106/test", event_id, "need.raised.v1", digest)


def test_the_same_household_reported_twice_is_one_file(app: Alliance) -> None:
    first = discover(app)
    second = discover(app, channel=Channel.HOTLINE_12345)
    assert first.aggregate_id == second.aggregate_id
    assert second.version == 2
    assert len(app.repository.get(first.aggregate_id).discoveries) == 2


def test_a_resent_event_is_stored_once_and_answers_with_the_original_outcome(app: Alliance) -> None:
    discover(app)
    first = raise_need(app, event_key())
    again = raise_need(app, event_key())
    assert (again.aggregate_id, again.version, again.duplicate) == (
        first.aggregate_id,
        first.version,
        True,
    )
    assert app.recorder.max_notification_id() == 3  # household, need, receipt


def test_an_event_id_reused_for_different_content_is_refused(app: Alliance) -> None:
    discover(app)
    raise_need(app, event_key(digest="d1"))
    with pytest.raises(EventIdReused):
        raise_need(app, event_key(digest="d2"))


def test_a_need_for_a_household_without_a_file_is_refused(app: Alliance) -> None:
    with pytest.raises(NotFound, match="publish its discovery"):
        raise_need(app)


def test_requesting_a_referral_refers_the_need_in_the_same_commit(app: Alliance) -> None:
    discover(app)
    consent(app)
    need = raise_need(app)
    referral = app.request_referral(
        need_id=need.aggregate_id, from_department="civil-affairs", to_department="health", at=NOW
    )
    stored = app.repository.get(need.aggregate_id)
    assert isinstance(stored, Need) and stored.status is NeedStatus.REFERRED
    assert stored.referral_id == referral.aggregate_id


def test_a_referred_need_cannot_be_referred_again(app: Alliance) -> None:
    discover(app)
    consent(app)
    need = raise_need(app)
    app.request_referral(need_id=need.aggregate_id, from_department="ca", to_department="a", at=NOW)
    with pytest.raises(RuleViolation, match="only an open need"):
        app.request_referral(
            need_id=need.aggregate_id, from_department="ca", to_department="b", at=NOW
        )


def test_refusal_puts_the_need_back_in_the_queue(app: Alliance) -> None:
    discover(app)
    consent(app)
    need = raise_need(app)
    ref = app.request_referral(
        need_id=need.aggregate_id, from_department="ca", to_department="hrss", at=NOW
    )
    app.refuse_referral(referral_id=ref.aggregate_id, by="hrss", at=NOW, reason="not eligible")
    assert app.repository.get(need.aggregate_id).status is NeedStatus.OPEN


def test_completion_meets_the_need(app: Alliance) -> None:
    discover(app)
    consent(app)
    need = raise_need(app)
    ref = app.request_referral(
        need_id=need.aggregate_id, from_department="ca", to_department="hrss", at=NOW
    ).aggregate_id
    app.accept_referral(referral_id=ref, by="hrss", at=NOW)
    app.give_feedback(referral_id=ref, by="hrss", at=NOW, content="on it")
    app.complete_referral(referral_id=ref, by="hrss", at=NOW, outcome="done")
    assert app.repository.get(need.aggregate_id).status is NeedStatus.MET


def test_an_expected_version_that_does_not_match_is_refused(app: Alliance) -> None:
    discover(app)
    with pytest.raises(VersionMismatch, match="at version 1, not the expected version 5"):
        app.grant_assistance(
            household_key=KEY, status=Assistance.DIBAO, by="ca", at=NOW, expected_version=5
        )


def test_granting_a_status_twice_is_refused(app: Alliance) -> None:
    discover(app)
    app.grant_assistance(household_key=KEY, status=Assistance.DIBAO, by="ca", at=NOW)
    with pytest.raises(RuleViolation, match="already holds"):
        app.grant_assistance(household_key=KEY, status=Assistance.DIBAO, by="ca", at=NOW)


def test_ending_a_status_the_household_does_not_hold_is_refused(app: Alliance) -> None:
    discover(app)
    with pytest.raises(RuleViolation, match="does not hold"):
        app.end_assistance(
            household_key=KEY, status=Assistance.TEKUN, by="ca", at=NOW, reason="moved"
        )


def test_assessment_checks_the_difficulty_circle(app: Alliance) -> None:
    discover(app)
    with pytest.raises(InvalidValue, match="difficulty_circle"):
        app.assess_household(
            household_key=KEY, difficulty_circle=4, group="g", plan="", by="ca", at=NOW
        )


def test_a_lost_race_on_the_same_version_is_a_concurrent_update(app: Alliance) -> None:
    discover(app)
    need = raise_need(app)
    stale = app.repository.get(need.aggregate_id)
    app.close_need(need_id=need.aggregate_id, by="ca", reason="moved away", at=NOW)
    stale.close(by="ca", reason="duplicate", at=NOW)
    with pytest.raises(ConcurrentUpdate, match="changed by another writer"):
        app._commit("need", stale, key=None)


def test_an_unknown_referral_is_not_found(app: Alliance) -> None:
    with pytest.raises(NotFound, match="referral"):
        app.accept_referral(referral_id=uuid4(), by="x", at=NOW)
