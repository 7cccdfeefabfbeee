"""A unit of work: many commands' changes held in memory, then saved in few commits.

While a unit is open on a thread, a command's loads see the changes earlier commands of the
unit made (the overlay), and its commit hands its records to the unit instead of saving them.
Each command still works on copies, so a refused command leaves no trace in the overlay.
"""

from __future__ import annotations

import threading
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate
from eventsourcing.domain import Aggregate


@dataclass
class UnitOfWork:
    """Records changed by the unit's commands, with their pending events, per log partition."""

    records: dict[UUID, Aggregate] = field(default_factory=dict)
    partitions: dict[UUID, str] = field(default_factory=dict)
    item: int = 0  # the caller's number for the command running now
    items: dict[str, set[int]] = field(default_factory=dict)  # partition key → commands
    events: int = 0  # how many events wait to be saved
    # Records read from the store during the unit, and ids found absent: each is looked up
    # once per unit. A unit's reads are taken as of its first look-up; a record another writer
    # changes meanwhile makes the unit's commit conflict if the unit changed it too (its items
    # then run again one by one), else the unit orders before that writer.
    seen: dict[UUID, Aggregate] = field(default_factory=dict)
    absent: set[UUID] = field(default_factory=set)

    def hold(self, records: list[Aggregate], partition_key: str) -> None:
        """Take a command's changed records (their pending events saved later, together)."""
        for record in records:
            before = self.records.get(record.id)
            self.events += len(record.pending_events)
            self.events -= len(before.pending_events) if before is not None else 0
            self.records[record.id] = record
            key = self.partitions.setdefault(record.id, partition_key)
            self.items.setdefault(key, set()).add(self.item)

    def by_partition(self) -> dict[str, list[Aggregate]]:
        """The held records grouped by the partition key they are saved under."""
        groups: dict[str, list[Aggregate]] = {}
        for ident, record in self.records.items():
            groups.setdefault(self.partitions[ident], []).append(record)
        return groups


class OverlayRepository(Repository[UUID]):
    """eventsourcing's repository, except that an open unit's records are seen first."""

    def __init__(self, *args: Any, short_history: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()
        self._short = short_history

    def _reconstruct_aggregate(
        self, aggregate_id: UUID, version: int | None, projector: Any
    ) -> Any:
        # A record with fewer events than the smallest snapshot interval has no snapshot: read
        # its events first and skip the snapshot look-up (one query instead of two for every
        # new or young record, the usual case). Longer histories take the snapshot path.
        if version is None and self.snapshot_store is not None and self._short:
            events = list(self.event_store.get(aggregate_id, limit=self._short))
            if len(events) < self._short:
                aggregate = projector(None, events)
                if aggregate is None:
                    raise AggregateNotFoundError(aggregate_id)
                return aggregate
        return super()._reconstruct_aggregate(aggregate_id, version, projector)

    @property
    def unit(self) -> UnitOfWork | None:
        """The unit of work open on this thread, if any."""
        unit: UnitOfWork | None = getattr(self._local, "unit", None)
        return unit

    def open(self, unit: UnitOfWork | None) -> None:
        """Open a unit on this thread (None closes it)."""
        self._local.unit = unit

    def get(self, aggregate_id: UUID, version: int | None = None, **kwargs: Any) -> Any:
        """The unit's copy of a record it changed, else the stored record."""
        unit = self.unit
        if unit is None or version is not None:
            return super().get(aggregate_id, version=version, **kwargs)
        known = unit.records.get(aggregate_id)
        if known is None:
            known = unit.seen.get(aggregate_id)
        if known is not None:
            return deepcopy(known)
        if aggregate_id in unit.absent:
            raise AggregateNotFoundError(aggregate_id)
        try:
            found = super().get(aggregate_id, **kwargs)
        except AggregateNotFoundError:
            unit.absent.add(aggregate_id)
            raise
        unit.seen[aggregate_id] = deepcopy(found)
        return found

    def get_receipt(self, aggregate_id: UUID) -> Any:
        """A receipt (a record of one event), replayed without snapshot or cache.

        Inside a unit only the unit's own receipts are seen: a receipt already stored makes the
        unit's commit conflict on its version 1, and the unit's commands then run one by one,
        each finding it. One look-up per event saved, at the price of a slow path for re-sends.
        """
        unit = self.unit
        if unit is not None:
            if aggregate_id in unit.records:
                return deepcopy(unit.records[aggregate_id])
            raise AggregateNotFoundError(aggregate_id)
        found = project_aggregate(None, self.event_store.get(aggregate_id))
        if found is None:
            raise AggregateNotFoundError(aggregate_id)
        return found
