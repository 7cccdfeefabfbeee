"""Stored events keep their old shape; they are upcast when read, never rewritten."""

from __future__ import annotations

from eventsourcing.persistence import StoredEvent

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.referrals.model import Referral, ReferralStatus
from domain.shared.taxonomy import Category, NeedType, Urgency
from tests.builders import NOW, VILLAGE

KEY = pseudonymise("330106198001010011", "test-secret")
STEPS_V2 = ("Accepted", "FeedbackGiven", "Completed")
# What the first version of the code did not store yet, per event class.
ADDED_SINCE_V1 = {
    "Referral.Requested": ("recorded_at", "acceptance_due_at"),
    "Referral.Accepted": ("recorded_at", "late"),
    "Referral.FeedbackGiven": ("recorded_at", "late"),
}


def popo() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def a_completed_referral(app: Alliance) -> str:
    app.report_discovery(
        household_key=KEY,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="grid-worker",
        at=NOW,
        members=[Member("head", 1970, ())],
    )
    app.give_consent(
        household_key=KEY,
        recipient="alliance",
        purpose="referral",
        document="form-1",
        by="ca",
        at=NOW,
    )
    need = app.raise_need(
        household_key=KEY,
        need_type=NeedType.SURVIVAL,
        category=Category.MEDICAL,
        urgency=Urgency.HIGH,
        description="dialysis",
        raised_by="civil-affairs",
        at=NOW,
    )
    referral = app.request_referral(
        need_id=need.aggregate_id, from_department="civil-affairs", to_department="health", at=NOW
    )
    ident = referral.aggregate_id
    app.accept_referral(referral_id=ident, by="health", at=NOW)
    app.give_feedback(referral_id=ident, by="health", at=NOW, content="seen")
    app.complete_referral(referral_id=ident, by="health", at=NOW, outcome="treated")
    return str(ident)


def as_written_by_version_1(app: Alliance, stored: StoredEvent) -> StoredEvent:
    """The same event as the first version of the code stored it: `by`, no recorded times."""
    added = next((v for k, v in ADDED_SINCE_V1.items() if stored.topic.endswith(k)), ())
    if not stored.topic.endswith(STEPS_V2) and not added:
        return stored
    state = app.mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") >= 2
    for name in added:
        del state[name]
    if "actor" in state:
        state["by"] = state.pop("actor")
    return StoredEvent(
        stored.originator_id,
        stored.originator_version,
        stored.topic,
        app.mapper.transcoder.encode(state),
    )


def test_a_log_written_with_the_old_shape_replays_into_the_current_model() -> None:
    writer = popo()
    referral_id = a_completed_referral(writer)
    old_log = [
        as_written_by_version_1(writer, n)
        for n in writer.recorder.select_notifications(start=1, limit=1000)
    ]
    assert any(b'"by"' in s.state for s in old_log)

    reader = popo()
    reader.recorder.insert_events(old_log)

    referral = reader.repository.get(writer.repository.get(referral_id).id)
    assert isinstance(referral, Referral)
    assert referral.status is ReferralStatus.COMPLETED and referral.version == 4
    steps = [reader.mapper.to_domain_event(s) for s in old_log if s.topic.endswith(STEPS_V2)]
    assert [type(e).__name__ for e in steps] == list(STEPS_V2)
    assert {e.actor for e in steps} == {"health"}
    accepted = steps[0]
    assert accepted.recorded_at == accepted.accepted_at and accepted.late is False
    # The old log still commands: the next step appends as version 2 beside the upcast ones.
    reader.follow_up_referral(
        referral_id=referral.id, by="civil-affairs", at=NOW, satisfied=True, note=""
    )
    assert reader.repository.get(referral.id).status is ReferralStatus.FOLLOWED_UP
