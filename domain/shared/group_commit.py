"""Group commit: commands that finish together are saved together, each with its own outcome.

Writer threads hand their command's changed records to one committer thread and wait. The
committer takes everything that queued up meanwhile and saves it as one commit per partition
(one store transaction, one Kafka record), so throughput grows with concurrency. Commands that
change the same record cannot share a commit (both were decided on the same version; the first
wins), so such a command waits for the next round. When a combined commit conflicts with another
writer, its commands are saved one by one, so each learns its own outcome: first writer wins,
exactly as without grouping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import DataError, RecordConflictError

Save = Callable[[Sequence[Any], str], object]
MAX_GROUP = 256  # commands per combined commit, at most (one Kafka record must hold them)


@dataclass(eq=False)
class _Ticket:
    records: Sequence[Any]
    partition_key: str
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    @property
    def ids(self) -> set[Any]:
        return {r.id for r in self.records}


class GroupCommitter:
    """One committer thread per application, started on first use."""

    def __init__(self, save: Save) -> None:
        self._save = save
        self._queue: list[_Ticket] = []
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def commit(self, records: Sequence[Any], partition_key: str) -> None:
        """Save these records in the next group; raise what saving them alone would raise."""
        ticket = _Ticket(records, partition_key)
        with self._wake:
            if self._closed:
                raise RuntimeError("the application is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="committer", daemon=True)
                self._thread.start()
            self._queue.append(ticket)
            self._wake.notify()
        ticket.done.wait()
        if ticket.error is not None:
            raise ticket.error

    def close(self) -> None:
        """Finish what is queued, then stop the committer thread."""
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._closed:
                    self._wake.wait()
                if not self._queue:
                    return
                queued, self._queue = self._queue, []
            while queued:
                group, queued = _next_group(queued)
                self._commit_group(group)

    def _commit_group(self, group: list[_Ticket]) -> None:
        if len(group) > 1:
            try:
                self._save([r for t in group for r in t.records], group[0].partition_key)
            except (RecordConflictError, DataError):
                pass  # someone lost a race (or it is too big): each alone, in arrival order
            except BaseException as error:
                for ticket in group:  # the store failed: every outcome is unknown alike
                    ticket.error = error
                    ticket.done.set()
                return
            else:
                for ticket in group:
                    ticket.done.set()
                return
        for ticket in group:
            try:
                self._save(ticket.records, ticket.partition_key)
            except BaseException as error:
                ticket.error = error
            ticket.done.set()


def _next_group(queued: list[_Ticket]) -> tuple[list[_Ticket], list[_Ticket]]:
    """The first ticket's partition's tickets that touch distinct records; the rest, in order."""
    key = queued[0].partition_key
    group: list[_Ticket] = []
    rest: list[_Ticket] = []
    taken: set[Any] = set()
    for ticket in queued:
        ids = ticket.ids
        if ticket.partition_key == key and len(group) < MAX_GROUP and not ids & taken:
            group.append(ticket)
            taken |= ids
        else:
            rest.append(ticket)
    return group, rest
