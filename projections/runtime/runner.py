"""Follows the event log and feeds every view, stream by stream, exactly once."""

from __future__ import annotations

import logging
import threading
import time
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
SHARED_BATCHES = 4  # decoded batches kept for the views that follow in one catch-up


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

    def _fetch(self, stream: Stream, shared: dict[int, Batch] | None = None) -> Fetch:
        """Read and decode the batch after a position; views at the same position share it."""

        def fetch(position: int) -> Batch:
            if shared is None:
                return read(position)
            batch = shared.get(position)
            if batch is None:
                batch = shared[position] = read(position)
                while len(shared) > SHARED_BATCHES:
                    del shared[next(iter(shared))]  # the oldest read
            return batch

        def read(position: int) -> Batch:
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
        """Apply everything recorded so far to every view; returns events applied.

        The views take one batch each in turn, so a batch is read and decoded once for all the
        views that stand at the same position (usually all of them), not once per view.
        """
        total = 0
        streams = self.streams()
        for index, stream in enumerate(streams):
            shared: dict[int, Batch] = {}
            active = list(self.views)
            while active:
                for view in list(active):
                    try:
                        step = self._step(view, stream, shared, progress, (index, len(streams)))
                    except PoisonEvent as poison:
                        log.error("%s", poison)  # persisted: health, metrics and the CLI show it
                        step = None
                    if step is None:
                        active.remove(view)
                    else:
                        total += step
        return total

    def _step(
        self,
        view: View,
        stream: Stream,
        shared: dict[int, Batch] | None,
        progress: ProgressCallback | None,
        place: tuple[int, int],
    ) -> int | None:
        """One batch of a stream into a view: events applied, or None when it has caught up."""
        step = self.store.step(view, stream.id, self._fetch(stream, shared))
        if step is None or step.fetched == 0:
            return None
        if progress is not None:
            span = max(stream.head - stream.low + 1, 1)
            done = (self.store.positions(view).get(stream.id, 0) - stream.low + 1) / span
            progress(view.name, step.fetched, (place[0] + min(max(done, 0.0), 1.0)) / place[1])
        return step.applied

    def _catch_up(
        self,
        view: View,
        stream: Stream,
        progress: ProgressCallback | None,
        place: tuple[int, int] = (0, 1),
    ) -> int:
        applied = 0
        while (step := self._step(view, stream, None, progress, place)) is not None:
            applied += step
        return applied

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

    def run(self, stop: threading.Event, interval: float = 0.25, min_gap: float = 0.0) -> None:
        """Catch up, then wait for a nudge or the interval, until stopped.

        Catch-ups start at least `min_gap` seconds apart: under a stream of writes each one
        takes the events of the whole gap in one batch per view (one read, one transaction)
        instead of a few events per nudge; views lag by at most the gap more.
        """
        while not stop.is_set():
            started = time.monotonic()
            try:
                self.catch_up()
            except Exception:  # the log may be briefly unreachable; keep following
                log.exception("projection runner could not catch up; retrying")
            self.wakeup.wait(interval)
            rest = min_gap - (time.monotonic() - started)
            if rest > 0:
                stop.wait(rest)
            self.wakeup.clear()
