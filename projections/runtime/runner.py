"""Follows the event log and feeds every view, stream by stream, exactly once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper

from projections.runtime.stops import PoisonEvent, Stopped, Undecodable
from projections.runtime.store import Batch, Fetch, Progress
from projections.runtime.view import View

log = logging.getLogger(__name__)

ALL_IDS = 2**63 - 1
# (view name, events read in this step, fraction of the log covered so far)
ProgressCallback = Callable[[str, int, float], None]
LAG_COUNT_LIMIT = 100_000


class ViewStore(Protocol):
    """What the runner needs from a store."""

    def ensure(self, view: View) -> None: ...

    def reset(self, view: View) -> None: ...

    def positions(self, view: View) -> dict[int, int]: ...

    def step(self, view: View, stream: int, fetch: Fetch) -> Progress | None: ...

    def stopped(self) -> list[Stopped]: ...


@dataclass(frozen=True)
class Stream:
    """A totally ordered part of the log (a Kafka partition; the whole log elsewhere)."""

    id: int
    low: int
    high: int
    head: int  # newest notification id recorded in the stream (low - 1 when none)


@dataclass(frozen=True)
class Lag:
    """How far a view is behind the log: events not yet applied, and the age of the oldest."""

    events: int
    seconds: float


class Runner:
    """Pulls notifications after each view's stream position and applies them in batches."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        store: ViewStore,
        views: Sequence[View],
        batch_size: int = 500,
        include: Callable[[Any], bool] | None = None,
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.store = store
        self.views = list(views)
        self.batch_size = batch_size
        self.include = include  # as-of replays leave out events after their instant
        self.wakeup = threading.Event()
        for view in self.views:
            store.ensure(view)

    def streams(self) -> list[Stream]:
        """The log's streams: Kafka partitions when the recorder has them, else the whole log."""
        ranges = getattr(self.recorder, "partition_ranges", None)
        if ranges is None:
            head = self.recorder.max_notification_id() or 0
            return [Stream(0, 1, ALL_IDS, head)]
        return [
            Stream(r.partition, r.lowest_id, r.highest_id, r.last_indexed or r.lowest_id - 1)
            for r in ranges()
        ]

    def head(self) -> int:
        """The newest position in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def _fetch(self, stream: Stream) -> Fetch:
        def fetch(position: int) -> Batch:
            notifications = self.recorder.select_notifications(
                start=max(position, stream.low - 1),
                limit=self.batch_size,
                stop=stream.high,
                inclusive_of_start=False,
            )
            decoded = [(n.id, self._decode(n)) for n in notifications]
            if self.include is None:
                return decoded
            # Left-out events still advance the position: they are "not yet", not unknown.
            return [(i, e if self.include(e) else None) for i, e in decoded]

        return fetch

    def _decode(self, notification: Any) -> Any:
        """The domain event, or a stand-in that stops the views at it (never skipped silently)."""
        try:
            return self.mapper.to_domain_event(notification)
        except Exception as error:
            return Undecodable(notification, error)

    def catch_up(self, progress: ProgressCallback | None = None) -> int:
        """Apply everything recorded so far to every view; returns events applied."""
        total = 0
        streams = self.streams()
        for view in self.views:
            for index, stream in enumerate(streams):
                try:
                    total += self._catch_up(view, stream, progress, (index, len(streams)))
                except PoisonEvent as poison:
                    log.error("%s", poison)  # persisted: health, metrics and the CLI show it
        return total

    def _catch_up(
        self,
        view: View,
        stream: Stream,
        progress: ProgressCallback | None,
        place: tuple[int, int] = (0, 1),
    ) -> int:
        applied = 0
        fetch = self._fetch(stream)
        span = max(stream.head - stream.low + 1, 1)
        while True:
            step = self.store.step(view, stream.id, fetch)
            if step is None or step.fetched == 0:
                return applied
            applied += step.applied
            if progress is not None:
                done = (self.store.positions(view).get(stream.id, 0) - stream.low + 1) / span
                progress(view.name, step.fetched, (place[0] + min(max(done, 0.0), 1.0)) / place[1])

    def rebuild(self, view: View, progress: ProgressCallback | None = None) -> int:
        """Replay one view from the start of the log, in place."""
        self.store.reset(view)
        streams = self.streams()
        total = 0
        for index, stream in enumerate(streams):
            try:
                total += self._catch_up(view, stream, progress, (index, len(streams)))
            except PoisonEvent as poison:
                log.error("%s", poison)
        return total

    def lag(self, view: View, now: datetime) -> Lag:
        """Events recorded but not applied yet, and how long the oldest has waited."""
        positions = self.store.positions(view)
        events, oldest = 0, None
        for stream in self.streams():
            position = max(positions.get(stream.id, 0), stream.low - 1)
            if stream.head <= position:
                continue
            waiting = self.recorder.select_notifications(
                start=position, limit=LAG_COUNT_LIMIT, stop=stream.head, inclusive_of_start=False
            )
            events += len(waiting)
            if waiting:
                first = getattr(self._decode(waiting[0]), "timestamp", None)
                if isinstance(first, datetime):
                    oldest = first if oldest is None else min(oldest, first)
        seconds = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
        return Lag(events, seconds)

    def run(self, stop: threading.Event, interval: float = 0.25) -> None:
        """Catch up, then wait for a nudge or the interval, until stopped."""
        while not stop.is_set():
            try:
                self.catch_up()
            except Exception:  # the log may be briefly unreachable; keep following
                log.exception("projection runner could not catch up; retrying")
            self.wakeup.wait(interval)
            self.wakeup.clear()
