"""What travels in the log (a commit) and what a writer learns about it (its outcome)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import StoredEvent

# Notification id layout (a positive bigint):
#   15 bits partition | 32 bits record offset | 16 bits (index of the event in the record + 1)
# Ids are unique, increase with the offset within a partition, and leave gaps (invalid commits,
# unused slots). The +1 keeps the first id of the log at 1, never 0: eventsourcing followers
# start with "id > 0" when they have nothing tracked yet.
PARTITION_SHIFT = 48
OFFSET_SHIFT = 16
MAX_EVENTS_PER_RECORD = 2**16 - 1
MAX_OFFSET = 2**32 - 1


def notification_id(partition: int, offset: int, index_in_record: int) -> int:
    """Notification id of the event at `index_in_record` in the record at (partition, offset)."""
    return (partition << PARTITION_SHIFT) | (offset << OFFSET_SHIFT) | (index_in_record + 1)


def partition_of(notification_id: int) -> int:
    """Partition a notification id was issued for."""
    return notification_id >> PARTITION_SHIFT


@dataclass(frozen=True, slots=True)
class Commit:
    """All stored events of one `insert_events` call, with the id that names it in the log."""

    commit_id: UUID
    events: Sequence[StoredEvent]


@dataclass(frozen=True, slots=True)
class CommitRequest:
    """One commit of a batch: its events and the partition key (the alliance) it belongs to."""

    events: Sequence[StoredEvent]
    partition_key: str | None = None


@dataclass(frozen=True, slots=True)
class CommitOutcome:
    """The decision of the log-order rule: notification ids if valid, else why it conflicted."""

    commit_id: UUID
    notification_ids: list[int] | None
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        """True when the commit's events are in the index."""
        return self.notification_ids is not None
