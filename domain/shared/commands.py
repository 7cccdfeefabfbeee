"""The command-handling base: load, check the expected version, save atomically, once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    ProjectorFunction,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import DataError, RecordConflictError, Recording
from eventsourcing.utils import strtobool

from domain.ingest.model import EventKey, Outcome, Receipt
from domain.shared.errors import ConcurrentUpdate, EventIdReused, NotFound, VersionMismatch
from domain.shared.group_commit import GroupCommitter
from domain.shared.regions import alliance_of, check_region
from domain.shared.snapshots import ExactSnapshot
from domain.shared.unit_of_work import OverlayRepository, UnitOfWork

A = TypeVar("A", bound=Aggregate)


class Regional(Protocol):
    """A record that belongs to a region, and so to one alliance's log."""

    region_code: str

    @property
    def id(self) -> UUID: ...

    @property
    def version(self) -> int: ...


class CommandHandler(Application[UUID]):
    """Shared mechanics of every command: one commit per command, a receipt per event."""

    _committer: GroupCommitter | None = None
    _committer_lock = threading.Lock()

    def _group_commit(self, records: list[Any], partition_key: str) -> None:
        """Save through the group committer (GROUP_COMMIT=n in the environment: directly)."""
        if not strtobool(self.env.get("GROUP_COMMIT", "y")):
            self.save(*records, partition_key=partition_key)
            return
        if self._committer is None:
            with self._committer_lock:
                if self._committer is None:
                    self._committer = GroupCommitter(
                        lambda rs, key: self.save(*rs, partition_key=key)
                    )
        self._committer.commit(records, partition_key)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """eventsourcing's save, collecting our records' events without its Protocol checks.

        `ProcessingEvent.collect_events` tests every object against two runtime-checkable
        Protocols, which costs more than the rest of collecting on Python 3.11; records of
        this application are Aggregates, so a class check decides the same way.
        """
        processing = ProcessingEvent[UUID]()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            else:
                processing.collect_events(obj)
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # eventsourcing's deprecated hook, kept as it calls it
        return recordings

    def close(self) -> None:
        """Finish the queued commits, then close the stores."""
        if self._committer is not None:
            self._committer.close()
        super().close()

    def construct_repository(self) -> OverlayRepository:
        """eventsourcing's repository, aware of this thread's unit of work."""
        maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return OverlayRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(maxsize) if maxsize else None,
            fastforward=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y")),
            deepcopy_from_cache=strtobool(self.env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
            short_history=min((self.snapshotting_intervals or {}).values(), default=None),
        )

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """Hold the commits of the commands run inside until save_unit(); loads see them."""
        repository = self.repository
        assert isinstance(repository, OverlayRepository)
        unit = UnitOfWork()
        repository.open(unit)
        try:
            yield unit
        finally:
            repository.open(None)

    def save_unit(self, unit: UnitOfWork) -> set[str]:
        """Save a unit's records, one commit per partition; the partitions not saved.

        A partition is not saved when another writer changed one of its records meanwhile
        (first writer wins) or when its changes do not fit one commit; its commands must be
        run again one by one.
        """
        failed: set[str] = set()
        for partition_key, records in unit.by_partition().items():
            try:
                self.save(*records, partition_key=partition_key)
            except (RecordConflictError, DataError):
                failed.add(partition_key)
        return failed

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] | None = None,
    ) -> None:
        """Snapshot a record's recorded state; loading it gives back exactly that state."""
        assert self.snapshots is not None, "snapshotting_intervals names no record type"
        aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        self.snapshots.put([ExactSnapshot.take(aggregate)])

    def _load(self, kind: type[A], ident: UUID, expected_version: int | None = None) -> A:
        try:
            found: Aggregate = self.repository.get(ident)
        except AggregateNotFoundError:
            raise NotFound(kind.__name__.lower(), ident) from None
        if not isinstance(found, kind):
            raise NotFound(kind.__name__.lower(), ident)
        if expected_version is not None and found.version != expected_version:
            raise VersionMismatch(kind.__name__.lower(), ident, expected_version, found.version)
        return found

    def _change(
        self,
        kind: type[A],
        ident: UUID,
        act: Callable[[A], object],
        *,
        key: EventKey | None,
        expected_version: int | None = None,
    ) -> Outcome:
        """Load one record, apply the command to it, and commit it with its receipt — once."""
        if done := self._already_done(key):
            return done
        record = self._load(kind, ident, expected_version)
        act(record)
        # Every record the alliance changes belongs to a region (and so to one log partition).
        return self._commit(kind.__name__.lower(), cast(Regional, record), key=key)

    def _alliance_record(
        self, kind: type[A], region_code: str, expected_version: int | None = None
    ) -> A:
        """The record an alliance keeps one of (its vocabulary, its standards): loaded, or new.

        Its id is derived from the alliance (the county code), so a first adoption creates it.
        """
        alliance = alliance_of(check_region(region_code))
        ident = kind.create_id(region_code=alliance)
        if self._exists(ident):
            return self._load(kind, ident, expected_version)
        create: Callable[..., A] = kind
        return create(region_code=alliance)

    def _exists(self, ident: UUID) -> bool:
        return ident in self.repository

    def _already_done(self, key: EventKey | None) -> Outcome | None:
        """The original outcome if this event was taken before; refuse a reused id."""
        if key is None:
            return None
        receipt = self._receipt(key)
        if receipt is None:
            return None
        if not key.same_content(receipt):
            raise EventIdReused(
                f"event id {key.event_id!r} from {key.source!r} was already used for different"
                " content; give a new event a new id"
            )
        return Outcome.from_record(receipt.outcome, duplicate=True)

    def _receipt(self, key: EventKey) -> Receipt | None:
        """The event's receipt: at its id, or at the old ambiguous id if written for this event."""
        repository = self.repository
        for ident in (key.receipt_id, key.legacy_receipt_id):
            try:
                found: Aggregate = (
                    repository.get_receipt(ident)
                    if isinstance(repository, OverlayRepository)
                    else repository.get(ident)
                )
            except AggregateNotFoundError:
                continue
            if isinstance(found, Receipt) and key.names(found):
                return found
        return None

    def _commit(self, kind: str, primary: Regional, *others: Any, key: EventKey | None) -> Outcome:
        """Save the changed records (and the receipt) in one commit on the region's log."""
        outcome = Outcome(kind, primary.id, primary.version)
        pending: list[Any] = [primary, *others]
        if key is not None:
            pending.append(
                Receipt(
                    source=key.source,
                    event_id=key.event_id,
                    event_type=key.event_type,
                    digest=key.digest,
                    outcome=outcome.as_record(),
                )
            )
        repository = self.repository
        unit = repository.unit if isinstance(repository, OverlayRepository) else None
        if unit is not None:
            unit.hold(pending, alliance_of(primary.region_code))
            return outcome
        try:
            self._group_commit(pending, alliance_of(primary.region_code))
        except RecordConflictError:
            done = self._already_done(key)
            if done is not None:
                return done
            raise ConcurrentUpdate(
                f"{kind} {primary.id} was changed by another writer at the same time;"
                " reload it and try again"
            ) from None
        return outcome
