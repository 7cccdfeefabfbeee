"""Follows the event log and feeds every view, batch by batch, exactly once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper

from projections.runtime.view import HandlerFailed, View

log = logging.getLogger(__name__)


class ViewStore(Protocol):
    """What the runner needs from a store."""

    def ensure(self, view: View) -> None: ...

    def reset(self, view: View) -> None: ...

    def position(self, view: View) -> int: ...

    def apply(self, view: View, batch: Sequence[tuple[int, Any]]) -> int: ...


class PoisonEvent(RuntimeError):
    """A handler failed on an event: the view stops there rather than skip it."""

    def __init__(self, view: str, position: int, topic: str, cause: BaseException) -> None:
        super().__init__(
            f"view {view!r} stopped at log position {position} ({topic}): {cause!r};"
            " fix the handler and resume"
        )
        self.view = view
        self.position = position


class Runner:
    """Pulls notifications after each view's position and applies them in batches."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        store: ViewStore,
        views: Sequence[View],
        batch_size: int = 500,
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.store = store
        self.views = list(views)
        self.batch_size = batch_size
        self.wakeup = threading.Event()
        self.stopped: dict[str, PoisonEvent] = {}
        for view in self.views:
            store.ensure(view)

    def head(self) -> int:
        """The newest position in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def catch_up(self) -> int:
        """Apply everything recorded so far to every view; returns events applied."""
        total = 0
        for view in self.views:
            if view.name in self.stopped:
                continue
            try:
                total += self._catch_up(view)
            except PoisonEvent as poison:
                log.error("%s", poison)
                self.stopped[view.name] = poison
        return total

    def _catch_up(self, view: View) -> int:
        applied = 0
        while True:
            position = self.store.position(view)
            notifications = self.recorder.select_notifications(
                start=position, limit=self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                return applied
            batch = []
            for n in notifications:
                try:
                    batch.append((n.id, self.mapper.to_domain_event(n)))
                except Exception as error:
                    raise PoisonEvent(view.name, n.id, n.topic, error) from error
            try:
                applied += self.store.apply(view, batch)
            except HandlerFailed as failed:
                # Keep what came before the poison; stop at it, never skip it.
                before = [item for item in batch if item[0] < failed.position]
                if before:
                    self.store.apply(view, before)
                raise PoisonEvent(
                    view.name, failed.position, failed.event_type, failed.cause
                ) from failed

    def rebuild(self, view: View) -> int:
        """Replay one view from the start of the log."""
        self.store.reset(view)
        self.stopped.pop(view.name, None)
        return self._catch_up(view)

    def run(self, stop: threading.Event, interval: float = 0.25) -> None:
        """Catch up, then wait for a nudge or the interval, until stopped."""
        while not stop.is_set():
            try:
                self.catch_up()
            except Exception:  # the log may be briefly unreachable; keep following
                log.exception("projection runner could not catch up; retrying")
            self.wakeup.wait(interval)
            self.wakeup.clear()
