"""The command-handling base: load, check the expected version, save atomically, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError

from domain.ingest.model import EventKey, Outcome, Receipt
from domain.shared.errors import ConcurrentUpdate, EventIdReused, NotFound, VersionMismatch
from domain.shared.regions import alliance_of

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
        for ident in (key.receipt_id, key.legacy_receipt_id):
            try:
                found: Aggregate = self.repository.get(ident)
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
        try:
            self.save(*pending, partition_key=alliance_of(primary.region_code))
        except RecordConflictError:
            done = self._already_done(key)
            if done is not None:
                return done
            raise ConcurrentUpdate(
                f"{kind} {primary.id} was changed by another writer at the same time;"
                " reload it and try again"
            ) from None
        return outcome
