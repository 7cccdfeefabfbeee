"""The CloudEvents Kafka protocol binding: a Kafka record in, a CloudEvent (as a dict) out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from services.errors import Problem

STRUCTURED = "application/cloudevents"
HEADER_PREFIX = "ce_"


def _headers(raw: Sequence[tuple[str, bytes | None]] | None) -> dict[str, str]:
    headers = {}
    for name, value in raw or ():
        try:
            headers[name.lower()] = (value or b"").decode()
        except UnicodeDecodeError:
            raise Problem(
                422,
                "Invalid event",
                f"header {name}: is not UTF-8",
                [{"field": name, "reason": "is not UTF-8"}],
            ) from None
    return headers


def _json(value: bytes | None, field: str) -> Any:
    try:
        return orjson.loads(value or b"")
    except orjson.JSONDecodeError as error:
        raise Problem(
            400,
            "Malformed JSON",
            f"{field}: not valid JSON: {error}",
            [{"field": field, "reason": "not valid JSON"}],
        ) from None


def record_to_event(value: bytes | None, headers: Sequence[tuple[str, bytes | None]] | None) -> Any:
    """Structured mode (content-type application/cloudevents+json) or binary mode (ce_ headers)."""
    found = _headers(headers)
    content_type = found.get("content-type", "")
    if content_type.startswith(STRUCTURED):
        return _json(value, "value")
    if f"{HEADER_PREFIX}specversion" not in found:
        raise Problem(
            422,
            "Invalid event",
            "a record must be structured (content-type: application/cloudevents+json) or"
            " binary (ce_specversion, ce_id, ce_source, ce_type headers)",
            [{"field": "headers", "reason": "neither structured nor binary mode"}],
        )
    event: dict[str, Any] = {
        name[len(HEADER_PREFIX) :]: text
        for name, text in found.items()
        if name.startswith(HEADER_PREFIX)
    }
    if content_type:
        event["datacontenttype"] = content_type.split(";")[0].strip()
    event["data"] = _json(value, "value")
    return event
