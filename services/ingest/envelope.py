"""CloudEvents 1.0 envelopes: check the context attributes and the data against its schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

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
from services.ingest.catalogue import CATALOGUE, EventType


@dataclass(frozen=True)
class Envelope:
    """A checked CloudEvent."""

    id: str
    source: str
    type: EventType
    time: datetime | None
    data: dict[str, Any]
    expected_version: int | None


def _invalid(field: str, reason: str) -> Problem:
    return invalid(field, reason)


@cache
def _validator(type_name: str) -> Draft202012Validator:
    return Draft202012Validator(CATALOGUE[type_name].schema, format_checker=FormatChecker())


def _path(error: ValidationError) -> str:
    out = "data"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _schema_problem(errors: list[ValidationError]) -> Problem:
    listed = [{"field": _path(e), "reason": e.message} for e in errors[:20]]
    first = listed[0]
    return Problem(422, "Invalid event", f"{first['field']}: {first['reason']}", listed)


def parse(raw: Any, now: datetime) -> Envelope:
    """Check one structured-mode CloudEvent; raise a Problem naming the field and the reason."""
    if not isinstance(raw, dict):
        raise _invalid("event", "must be a JSON object (a structured-mode CloudEvent)")
    if raw.get("specversion") != "1.0":
        raise _invalid("specversion", 'must be "1.0"')
    event_id, source = _required(raw, "id"), _required(raw, "source")
    type_name = _required(raw, "type")
    event_type = CATALOGUE.get(type_name)
    if event_type is None:
        raise _invalid("type", f"{type_name!r} is not a known event type (see /v1/event-types)")
    check_names(raw)
    check_context(raw)
    check_data_content_type(raw)
    time, expected_version = parse_time(raw, now), parse_expected_version(raw)
    data = raw.get("data")
    if not isinstance(data, dict):
        raise _invalid("data", "is required and must be a JSON object")
    errors = sorted(_validator(type_name).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise _schema_problem(errors)
    return Envelope(event_id, source, event_type, time, data, expected_version)


def _required(raw: dict[str, Any], name: str) -> str:
    value = check_string(raw, name)
    assert value is not None
    return value
