"""CloudEvents 1.0 envelopes: check the context attributes and the data against its schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.errors import Problem
from services.ingest.attributes import (
    check_context,
    check_data_content_type,
    check_names,
    check_string,
    invalid,
    parse_expected_version,
    parse_time,
)
from services.ingest.catalogue import CATALOGUE, EventData, EventType


@dataclass(frozen=True)
class Envelope:
    """A checked CloudEvent."""

    id: str
    source: str
    type: EventType
    time: datetime | None
    data: dict[str, Any]
    expected_version: int | None
    payload: EventData


def _invalid(field: str, reason: str) -> Problem:
    return invalid(field, reason)


def _check_string(raw: dict[str, Any], name: str) -> str:
    value = check_string(raw, name)
    assert value is not None
    return value


def parse(raw: Any, now: datetime) -> Envelope:
    """Check one structured-mode CloudEvent; raise a Problem naming the field and the reason."""
    if not isinstance(raw, dict):
        raise _invalid("event", "must be a JSON object (a structured-mode CloudEvent)")
    if raw.get("specversion") != "1.0":
        raise _invalid("specversion", 'must be "1.0"')
    event_id, source = _check_string(raw, "id"), _check_string(raw, "source")
    type_name = _check_string(raw, "type")
    event_type = CATALOGUE.get(type_name)
    if event_type is None:
        raise _invalid("type", f"{type_name!r} is not a known event type (see /v1/event-types)")
    # Attribute checks (services/ingest/attributes.py): the same in every content mode.
    check_names(raw)
    check_context(raw)
    check_data_content_type(raw)
    time = parse_time(raw, now)
    data = raw.get("data")
    if not isinstance(data, dict):
        raise _invalid("data", "is required and must be a JSON object")
    payload = event_type.check(data)
    expected_version = parse_expected_version(raw)
    event_type.check_expected_version(expected_version)
    return Envelope(event_id, source, event_type, time, data, expected_version, payload)
