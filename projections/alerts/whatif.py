"""What-if runs over the log: read events in order, fold them in memory, write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from domain.screening.rules import Rule
from domain.screening.whatif import RELEVANT, what_if

PAGE = 5000


def _topics() -> set[str]:
    topics = set()
    for aggregate in RELEVANT:
        for event_class in vars(aggregate).values():
            if isinstance(event_class, type) and issubclass(event_class, aggregate.Event):
                topics.add(f"{event_class.__module__}:{event_class.__qualname__}")
    return topics


def events_until(recorder: Any, mapper: Any, stop_at: datetime) -> Iterator[Any]:
    """The log's screening-relevant events recorded up to `stop_at`, in log order.

    Other events (receipts, funds, supply …) are left out by the recorder's topic filter.
    """
    topics = sorted(_topics())
    position = 0
    while True:
        page = recorder.select_notifications(
            start=position, limit=PAGE, topics=topics, inclusive_of_start=False
        )
        if not page:
            return
        for notification in page:
            event = mapper.to_domain_event(notification)
            if event.timestamp <= stop_at:
                yield event
        position = page[-1].id


def run_what_if(
    recorder: Any, mapper: Any, draft: list[Rule], region: str, instants: list[datetime]
) -> list[dict[str, Any]]:
    """Judge a draft over the log at each instant (see domain.screening.whatif)."""
    return what_if(events_until(recorder, mapper, max(instants)), draft, region, instants)
