"""Receipts: one per source + id without ambiguity; a re-send is a duplicate only if identical."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.alliance import Alliance
from domain.ingest.model import EventKey, Receipt
from services.ingest.envelope import parse
from services.ingest.service import Ingestor
from tests.builders import NOW, cloud_event, discovered


def ingestor() -> Ingestor:
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return Ingestor(app, "secret", clock=lambda: NOW)


def test_pairs_that_the_old_separator_confused_get_their_own_receipts() -> None:
    ing = ingestor()
    first = cloud_event("household.discovered", discovered(), source="/a\x1fb", event_id="c")
    second = cloud_event("household.discovered", discovered(), source="/a", event_id="b\x1fc")
    assert Receipt.create_id("/a\x1fb", "c") != Receipt.create_id("/a", "b\x1fc")
    assert ing.submit(first).status == 201
    assert ing.submit(second).status == 201


def test_a_resend_identical_in_type_subject_time_and_data_is_a_duplicate() -> None:
    ing = ingestor()
    event = cloud_event("household.discovered", discovered(), time=NOW, subject="hh")
    assert ing.submit(event).status == 201
    assert ing.submit(dict(event)).status == 200


def test_a_resend_with_another_time_or_subject_is_refused_as_a_reused_id() -> None:
    ing = ingestor()
    event = cloud_event("household.discovered", discovered(), time=NOW, subject="hh")
    assert ing.submit(event).status == 201
    later = {**event, "time": (NOW - timedelta(hours=1)).isoformat()}
    other_subject = {**event, "subject": "another"}
    for changed in (later, other_subject):
        result = ing.submit(changed)
        assert result.status == 409 and result.problem is not None
        assert "already used for different content" in result.problem.detail


def test_a_receipt_written_under_the_old_id_scheme_is_still_found() -> None:
    ing = ingestor()
    event = cloud_event("household.discovered", discovered(), event_id="old-1")
    envelope = parse(event, NOW)
    key = EventKey(envelope.source, envelope.id, envelope.type.name, "unused")
    record = UUID("00000000-0000-0000-0000-000000000001")
    old = Receipt._create(  # as the code before the unambiguous encoding wrote it
        Receipt.Issued,
        id=key.legacy_receipt_id,
        source=envelope.source,
        event_id=envelope.id,
        event_type=envelope.type.name,
        digest=ing._legacy_digest(envelope),
        outcome={"kind": "household", "aggregate_id": str(record), "version": 1},
    )
    ing.app.save(old)
    answer = ing.submit(event)
    assert answer.status == 200 and answer.outcome is not None
    assert answer.outcome.aggregate_id == record
