"""The CloudEvents Kafka protocol binding: a Kafka record in, a CloudEvent (as a dict) out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from services.errors import Problem
from services.ingest.attributes import check_data_content_type
from services.ingest.media_types import STRUCTURED, charset_problem, parse_media_type

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


def json_value(value: bytes | None, field: str) -> Any:
    """The record's value (or an HTTP body) as JSON; 400 naming `field` when it is not JSON."""
    try:
        return orjson.loads(value or b"")
    except orjson.JSONDecodeError as error:
        raise Problem(
            400,
            "Malformed JSON",
            f"{field}: not valid JSON: {error}",
            [{"field": field, "reason": "not valid JSON"}],
        ) from None


def _unsupported(reason: str) -> Problem:
    return Problem(
        415,
        "Unsupported media type",
        f"content-type: {reason}",
        [{"field": "content-type", "reason": reason}],
    )


def binary_event(attributes: dict[str, str], content_type: str | None, body: bytes) -> Any:
    """Binary mode (Kafka `ce_` or HTTP `ce-` headers): attributes from headers, data = body."""
    event: dict[str, Any] = dict(attributes)
    if content_type is not None:
        event["datacontenttype"] = content_type
    # The same attribute check as structured mode, before the body is read as JSON.
    check_data_content_type(event)
    event["data"] = json_value(body, "data")
    return event


def record_to_event(value: bytes | None, headers: Sequence[tuple[str, bytes | None]] | None) -> Any:
    """Structured mode (content-type application/cloudevents+json) or binary mode (ce_ headers)."""
    found = _headers(headers)
    content_type = found.get("content-type")
    media_type = parse_media_type(content_type) if content_type is not None else None
    if media_type is not None and media_type.essence.startswith("application/cloudevents"):
        if media_type.essence != STRUCTURED:
            raise _unsupported(f"{media_type.essence} is not accepted; use {STRUCTURED}")
        if problem := charset_problem(media_type):
            raise _unsupported(problem)
        return json_value(value, "value")
    if f"{HEADER_PREFIX}specversion" not in found:
        raise Problem(
            422,
            "Invalid event",
            "a record must be structured (content-type: application/cloudevents+json) or"
            " binary (ce_specversion, ce_id, ce_source, ce_type headers)",
            [{"field": "headers", "reason": "neither structured nor binary mode"}],
        )
    attributes = {
        name[len(HEADER_PREFIX) :]: text
        for name, text in found.items()
        if name.startswith(HEADER_PREFIX)
    }
    return binary_event(attributes, content_type, value or b"")
