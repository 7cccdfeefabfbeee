"""The CloudEvents HTTP protocol binding: which content mode a request is in, and its event(s).

- structured: `Content-Type: application/cloudevents+json` — the body is one event;
- batch: `Content-Type: application/cloudevents-batch+json` — the body is a JSON array of events;
- binary: `ce-specversion` (and the other `ce-*` headers) carry the attributes, percent-encoded
  (binding §3.1.3.2); `Content-Type` is the event's `datacontenttype`; the body is its data.

Anything else is 415 — in particular `text/plain`, form and multipart posts, which a browser on
another site can send without a CORS preflight. Media types are compared as RFC 9110 says
(type and subtype case-insensitive, parameters after `;`, `charset` only utf-8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from services.errors import Problem
from services.ingest.kafka_binding import binary_event, json_value
from services.ingest.media_types import BATCH, STRUCTURED, charset_problem, parse_media_type

HEADER_PREFIX = "ce-"
_MODES = (
    f"send one event as {STRUCTURED}, a batch as {BATCH}, or one event in binary mode"
    " (ce-specversion, ce-id, ce-source, ce-type headers; the JSON data as the body)"
)


@dataclass(frozen=True)
class Incoming:
    """What a request carries: one event, or a batch (a list of whatever the items are)."""

    mode: Literal["structured", "binary", "batch"]
    payload: Any


def unsupported(reason: str) -> Problem:
    """415 with a problem naming the content type and the accepted modes."""
    return Problem(
        415,
        "Unsupported media type",
        f"content-type: {reason}; {_MODES}",
        [{"field": "content-type", "reason": reason}],
    )


def read(headers: Mapping[str, str], body: bytes) -> Incoming:
    """Decide the content mode from the headers and decode the body accordingly."""
    content_type = headers.get("content-type")
    media_type = parse_media_type(content_type) if content_type is not None else None
    if media_type is not None and media_type.essence in (STRUCTURED, BATCH):
        if problem := charset_problem(media_type):
            raise unsupported(problem)
        payload = json_value(body, "body")
        if media_type.essence == BATCH:
            return Incoming("batch", payload)
        if isinstance(payload, list):
            raise Problem(
                415, "Batch needs its content type", f"send a JSON array as Content-Type: {BATCH}"
            )
        return Incoming("structured", payload)
    if f"{HEADER_PREFIX}specversion" in headers:
        return Incoming("binary", binary_event(_attributes(headers), content_type, body))
    if content_type is None:
        raise unsupported("missing")
    shown = media_type.essence if media_type is not None else repr(content_type)
    raise unsupported(f"{shown} is not a CloudEvents content mode")


def _attributes(headers: Mapping[str, str]) -> dict[str, str]:
    attributes = {}
    for name, value in headers.items():
        lowered = name.lower()
        if not lowered.startswith(HEADER_PREFIX):
            continue
        attribute = lowered[len(HEADER_PREFIX) :]
        try:
            attributes[attribute] = unquote(value, errors="strict")
        except UnicodeDecodeError:
            reason = "is not percent-encoded UTF-8"
            raise Problem(
                422, "Invalid event", f"{name}: {reason}", [{"field": attribute, "reason": reason}]
            ) from None
    return attributes
