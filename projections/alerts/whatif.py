"""What-if runs over the log: read events in order, fold them in memory, write nothing.

The log is read straight from its stored JSON: only the event types the facts fold reads are
selected (by topic, in the recorder's query), and each is decoded with orjson into the few
attributes the fold needs, instead of building eventsourcing's event objects (the mapper's
decoding cost ≈ 100–300 µs an event; measured in the README, Benchmarks). A mapper that
compresses or encrypts, or a value type the JSON decoder below does not know, falls back to the
mapper for that event, so both paths give the same facts (a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder

from domain.screening.rules import Rule
from domain.screening.whatif import FOLDED, RELEVANT, Named, what_if_named

PAGE = 5000


def _hyphenated(h: str) -> str:
    """str(UUID(h)) for a 32-digit hex string, without building the UUID."""
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" if len(h) == 32 else str(UUID(h))


# The value types eventsourcing's JSONTranscoder writes that the fold's events carry.
_TYPED = {"datetime_iso": datetime.fromisoformat, "uuid_hex": _hyphenated}


def _topics() -> dict[str, str]:
    """Stored topic → class name, for the event types the fold reads."""
    topics = {}
    for aggregate in RELEVANT:
        for event_class in vars(aggregate).values():
            if isinstance(event_class, type) and issubclass(event_class, aggregate.Event):
                name = event_class.__qualname__
                if name in FOLDED:
                    topics[f"{event_class.__module__}:{name}"] = name
    return topics


def _plain_json(mapper: Any) -> bool:
    return (
        type(mapper.transcoder) is JSONTranscoder
        and mapper.cipher is None
        and mapper.compressor is None
    )


def _decoded(state: bytes) -> SimpleNamespace | None:
    """The event's attributes from its stored JSON; None if a value needs the mapper."""
    raw = orjson.loads(state)
    for name, value in raw.items():
        if type(value) is dict and "_type_" in value:
            decode = _TYPED.get(value["_type_"])
            if decode is None:
                return None
            raw[name] = decode(value["_data_"])
    return SimpleNamespace(**raw)


def named_events_until(recorder: Any, mapper: Any, stop_at: datetime) -> Iterator[Named]:
    """The fold's events recorded up to `stop_at`, in log order, named for `what_if_named`."""
    topics = _topics()
    selected = sorted(topics)
    fast = _plain_json(mapper)
    for notification in _notifications(recorder, selected):
        event = _decoded(notification.state) if fast else None
        if event is None:
            event = mapper.to_domain_event(notification)
        if event.timestamp <= stop_at:
            yield (
                topics[notification.topic],
                str(notification.originator_id),
                event.timestamp,
                event,
            )


def events_until(recorder: Any, mapper: Any, stop_at: datetime) -> Iterator[Any]:
    """The same events decoded by eventsourcing's mapper (the slower path, kept to compare)."""
    for notification in _notifications(recorder, sorted(_topics())):
        event = mapper.to_domain_event(notification)
        if event.timestamp <= stop_at:
            yield event


def _notifications(recorder: Any, topics: list[str]) -> Iterator[Any]:
    """The recorder's notifications of these topics, in log order, a page at a time."""
    position = 0
    while True:
        page = recorder.select_notifications(
            start=position, limit=PAGE, topics=topics, inclusive_of_start=False
        )
        if not page:
            return
        yield from page
        position = page[-1].id
        position = page[-1].id


def run_what_if(
    recorder: Any, mapper: Any, draft: list[Rule], region: str, instants: list[datetime]
) -> list[dict[str, Any]]:
    """Judge a draft over the log at each instant (see domain.screening.whatif)."""
    events = named_events_until(recorder, mapper, max(instants))
    return what_if_named(events, draft, region, instants)
