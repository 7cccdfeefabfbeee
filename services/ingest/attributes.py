"""CloudEvents 1.0 context attributes, checked as the spec types them (one place for every mode).

The CloudEvents type system (spec §"Type System"): Boolean, Integer (signed 32-bit), String,
Binary, URI, URI-reference and Timestamp (RFC 3339). In the JSON format Boolean and Integer are
JSON booleans and integers; every other type is a JSON string. In the HTTP and Kafka binary modes
every attribute travels as a header string, so the checks below take the canonical string form
where the spec gives one (integers as decimal strings, booleans as `true` / `false`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from services.errors import Problem
from services.ingest.media_types import charset_problem, parse_media_type

EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")
REQUIRED = ("specversion", "id", "source", "type")
OPTIONAL = ("time", "subject", "datacontenttype", "dataschema")
KNOWN = {*REQUIRED, *OPTIONAL, "data"}
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
INT32_MAX = 2**31 - 1

# RFC 3339 §5.6 date-time, with the `T` / `Z` case-insensitivity of its §5.6 note.
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)
# Characters the spec excludes from String values: controls, surrogates, noncharacters.
_NOT_ALLOWED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]{0,9})$")


def invalid(field: str, reason: str) -> Problem:
    """A 422 naming one attribute and the reason."""
    return Problem(422, "Invalid event", f"{field}: {reason}", [{"field": field, "reason": reason}])


def check_names(raw: dict[str, Any]) -> None:
    """Only context attributes, `data` and lower-case alphanumeric extensions; no binary data."""
    if "data_base64" in raw:
        # Decided: refused even when datacontenttype is JSON. Every event type is JSON data with
        # a JSON Schema; one representation keeps one digest (idempotency) and one parse path.
        raise invalid("data_base64", "binary data is not accepted; send the JSON object in data")
    for name in raw:
        if name not in KNOWN and not EXTENSION_NAME.match(name):
            raise invalid(name, "is not a CloudEvents attribute (extensions: a-z, 0-9, ≤ 20)")


def check_string(raw: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    """A String attribute: non-empty, without control characters."""
    value = raw.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid(name, "is required and must be a non-empty string")
    _check_characters(name, value)
    return value


def _check_characters(name: str, value: str) -> None:
    if _NOT_ALLOWED.search(value):
        raise invalid(name, "contains a control character or a noncharacter")


def check_context(raw: dict[str, Any]) -> None:
    """subject (String), dataschema (URI), source (URI-reference) and every extension."""
    check_string(raw, "subject", required=False)
    source = raw["source"]
    if any(c.isspace() for c in source):
        raise invalid("source", "must be a URI-reference (no spaces)")
    schema = check_string(raw, "dataschema", required=False)
    if schema is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", schema):
        raise invalid("dataschema", "must be an absolute URI")
    for name, value in raw.items():
        if name not in KNOWN and name != "expectedversion":  # that one has its own check
            check_extension(name, value)


def check_extension(name: str, value: Any) -> None:
    """An extension value must be one of the CloudEvents types as JSON carries them."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not -(2**31) <= value <= INT32_MAX:
            raise invalid(name, "an Integer attribute must fit in 32 bits (CloudEvents types)")
        return
    if isinstance(value, str):
        _check_characters(name, value)
        return
    raise invalid(
        name, "an extension must be a String, Integer or Boolean (URI, Binary, Timestamp: strings)"
    )


def check_data_content_type(raw: dict[str, Any]) -> None:
    """JSON data only: application/json or a +json type, any letter case, charset utf-8 only."""
    value = raw.get("datacontenttype")
    if value is None:
        return
    if not isinstance(value, str):
        raise invalid("datacontenttype", "must be a media type string")
    media_type = parse_media_type(value)
    if media_type is None:
        raise invalid("datacontenttype", f"{value!r} is not a media type (RFC 9110)")
    if not media_type.is_json:
        raise invalid("datacontenttype", "must be application/json (the data is a JSON object)")
    if problem := charset_problem(media_type):
        raise invalid("datacontenttype", problem)


def parse_time(raw: dict[str, Any], now: datetime) -> datetime | None:
    """`time`: an RFC 3339 timestamp with an offset, from 1900 up to a few minutes from now."""
    value = raw.get("time")
    if value is None:
        return None
    if not isinstance(value, str) or not (found := _RFC3339.match(value)):
        raise invalid(
            "time", f"{value!r} is not an RFC 3339 timestamp (e.g. 2026-11-23T08:00:00+08:00)"
        )
    if found.group(6) == "60":
        raise invalid("time", "a leap second (:60) cannot be stored; use :59")
    offset = found.group(8)
    if offset[0] in "+-" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
        raise invalid("time", f"{offset} is not a UTC offset")
    fraction = (found.group(7) or "")[:7]  # microseconds: Python keeps six digits
    text = value[:19].replace("t", "T") + fraction + ("+00:00" if offset in "Zz" else offset)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise invalid("time", f"{value!r} is not a valid date and time") from None
    if parsed < EARLIEST:
        raise invalid("time", "is before 1900")
    if parsed > now + FUTURE_TOLERANCE:
        raise invalid("time", "is in the future")
    return parsed


def parse_expected_version(raw: dict[str, Any]) -> int | None:
    """`expectedversion`: a positive Integer; binary modes carry it as a decimal string."""
    value = raw.get("expectedversion")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise invalid("expectedversion", "must be a positive integer (e.g. 3)")
    if isinstance(value, str):
        if not _DECIMAL.match(value):
            raise invalid("expectedversion", "must be a positive integer (e.g. 3)")
        value = int(value)
    if not 1 <= value <= INT32_MAX:
        raise invalid("expectedversion", f"must be from 1 to {INT32_MAX}")
    return value
