"""CloudEvents 1.0 envelopes: check the context attributes and the data against its schema."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.errors import Problem
from services.ingest.catalogue import CATALOGUE, EventData, EventType

_EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")
_REQUIRED = ("specversion", "id", "source", "type")
_KNOWN = {*_REQUIRED, "time", "subject", "datacontenttype", "dataschema", "data"}
FUTURE_TOLERANCE = timedelta(minutes=5)


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
    return Problem(422, "Invalid event", f"{field}: {reason}", [{"field": field, "reason": reason}])


def _check_string(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _invalid(name, "is required and must be a non-empty string")
    return value


def _time(raw: dict[str, Any], now: datetime) -> datetime | None:
    value = raw.get("time")
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise _invalid("time", f"{value!r} is not an RFC 3339 timestamp") from None
    if parsed.tzinfo is None:
        raise _invalid("time", "must carry a UTC offset (e.g. 2026-11-23T08:00:00+08:00)")
    if parsed > now + FUTURE_TOLERANCE:
        raise _invalid("time", "is in the future")
    return parsed


def _expected_version(raw: dict[str, Any]) -> int | None:
    value = raw.get("expectedversion")
    if value is None:
        return None
    try:
        version = int(value)
    except (TypeError, ValueError):
        raise _invalid("expectedversion", "must be a whole number") from None
    if version < 1:
        raise _invalid("expectedversion", "must be 1 or more")
    return version


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
    for name in raw:
        if name not in _KNOWN and not _EXTENSION_NAME.match(name):
            raise _invalid(name, "is not a CloudEvents attribute (extensions: a-z, 0-9, ≤ 20)")
    content_type = raw.get("datacontenttype", "application/json")
    if content_type != "application/json":
        raise _invalid("datacontenttype", "must be application/json")
    if "data_base64" in raw:
        raise _invalid("data_base64", "binary data is not accepted; send JSON in data")
    data = raw.get("data")
    if not isinstance(data, dict):
        raise _invalid("data", "is required and must be a JSON object")
    payload = event_type.check(data)
    expected_version = _expected_version(raw)
    event_type.check_expected_version(expected_version)
    return Envelope(event_id, source, event_type, _time(raw, now), data, expected_version, payload)
