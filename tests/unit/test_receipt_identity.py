"""Receipts: one per source + id without ambiguity; a re-send is a duplicate only if identical."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from uuid import UUID

import orjson

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring
from domain.ingest.model import EventKey, Receipt
from services.ingest.envelope import parse
from services.ingest.service import Ingestor
from tests.builders import NOW, cloud_event, discovered

SECRET = "secret"


def ingestor() -> Ingestor:
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return Ingestor(app, HouseholdKeyring({1: SECRET}, 1), clock=lambda: NOW)


def test_pairs_that_the_old_separator_confused_get_their_own_receipts() -> None:
    ing = ingestor()
    first = cloud_event("household.discovered", discovered(), source="/a\x1fb", event_id="c")
    second = cloud_event("household.discovered", discovered(), source="/a", event_id="b\x1fc")
    assert Receipt.create_id("/a\x1fb", "c") != Receipt.create_id("/a", "b\x1fc")
    # And the edge takes neither: a control character is not allowed in a CloudEvents String.
    assert ing.submit(first).problem.errors[0]["field"] == "source"  # type: ignore[union-attr]
    assert ing.submit(second).problem.errors[0]["field"] == "id"  # type: ignore[union-attr]


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


def first_version_digest(type_name: str, data: dict) -> str:
    """The digest exactly as the first version of the ingestor computed it."""
    body = orjson.dumps([type_name, data], option=orjson.OPT_SORT_KEYS)
    return hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


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
        event_type="household.discovered.v1",
        digest=first_version_digest("household.discovered.v1", event["data"]),
        outcome={"kind": "household", "aggregate_id": str(record), "version": 1},
    )
    ing.app.save(old)
    answer = ing.submit(event)
    assert answer.status == 200 and answer.outcome is not None
    assert answer.outcome.aggregate_id == record


def test_a_resend_with_other_data_than_a_receipt_under_the_old_digest_is_refused() -> None:
    ing = ingestor()
    event = cloud_event("household.discovered", discovered(), event_id="old-2")
    envelope = parse(event, NOW)
    key = EventKey(envelope.source, envelope.id, envelope.type.name, "unused")
    old = Receipt._create(
        Receipt.Issued,
        id=key.legacy_receipt_id,
        source=envelope.source,
        event_id=envelope.id,
        event_type="household.discovered.v1",
        digest=first_version_digest("household.discovered.v1", {**event["data"], "note": "x"}),
        outcome={"kind": "household", "aggregate_id": str(UUID(int=2)), "version": 1},
    )
    ing.app.save(old)
    answer = ing.submit(event)
    assert answer.status == 409 and answer.problem is not None
    assert "already used for different content" in answer.problem.detail
