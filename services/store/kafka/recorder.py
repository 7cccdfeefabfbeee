"""eventsourcing recorders over the Kafka log (writes) and its PostgreSQL index (reads)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    IntegrityError,
    ListenNotifySubscription,
    Notification,
    StoredEvent,
    Subscription,
)
from psycopg import sql

from services.store.kafka.commits import PARTITION_SHIFT, CommitOutcome, CommitRequest
from services.store.kafka.store import KafkaStore


@dataclass(frozen=True, slots=True)
class PartitionRange:
    """A partition's notification ids: bounds of its id space and the ids indexed so far."""

    partition: int
    lowest_id: int
    highest_id: int
    first_indexed: int | None
    last_indexed: int | None


class KafkaAggregateRecorder(AggregateRecorder):
    """Appends commits to the Kafka log; reads aggregate sequences from the index."""

    def __init__(self, store: KafkaStore) -> None:
        self.store = store
        self.sql = store.sql

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        """Append one commit; IntegrityError when the log-order rule rejects it."""
        self._insert(stored_events, kwargs.get("partition_key"))

    def _insert(
        self, stored_events: Sequence[StoredEvent], partition_key: str | None
    ) -> list[int] | None:
        if not stored_events:
            return None
        outcome = self.store.append([CommitRequest(stored_events, partition_key)])[0]
        if outcome.notification_ids is None:
            raise IntegrityError(f"version conflict: {outcome.reason}")
        return outcome.notification_ids

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """Events of one aggregate from the index, by version."""
        query = sql.SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} "
            "WHERE originator_id = %s"
        ).format(self.sql.events)
        params: list[Any] = [originator_id]
        if gt is not None:
            query += sql.SQL(" AND originator_version > %s")
            params.append(gt)
        if lte is not None:
            query += sql.SQL(" AND originator_version <= %s")
            params.append(lte)
        query += sql.SQL(
            " ORDER BY originator_version DESC" if desc else " ORDER BY originator_version"
        )
        if limit is not None:
            query += sql.SQL(" LIMIT %s")
            params.append(limit)
        with self.store.pool.connection() as conn:
            rows = conn.execute(query, params, prepare=True).fetchall()
        return [
            StoredEvent(oid, version, topic, bytes(state)) for oid, version, topic, state in rows
        ]

    def originators_among(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        """Which of these records have events in the index: one query for all of them."""
        if not originator_ids:
            return set()
        query = sql.SQL("SELECT DISTINCT originator_id FROM {} WHERE originator_id = ANY(%s)")
        ids: list[Any] = list(originator_ids)
        if self.store.settings.originator_id_type == "text":
            ids = [str(i) for i in ids]
        with self.store.pool.connection() as conn:
            rows = conn.execute(query.format(self.sql.events), [ids]).fetchall()
        return {row[0] if isinstance(row[0], UUID) else UUID(str(row[0])) for row in rows}


class KafkaApplicationRecorder(KafkaAggregateRecorder, ApplicationRecorder):
    """Adds the notification sequence (notification id = partition|offset|index, see commits)."""

    def insert_events(  # type: ignore[override]
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Append one commit and return its notification ids; IntegrityError on conflict."""
        return self._insert(stored_events, kwargs.get("partition_key"))

    def insert_commits(self, requests: Sequence[CommitRequest]) -> list[CommitOutcome]:
        """Batch path: many commits packed into few records; one outcome per commit, in order."""
        if not requests:
            return []
        return self.store.append(requests)

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """Indexed events in notification-id order (ordered per partition; gaps allowed)."""
        query = sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE TRUE"
        ).format(self.sql.events)
        params: list[Any] = []
        if start is not None:
            query += sql.SQL(
                " AND notification_id >= %s" if inclusive_of_start else " AND notification_id > %s"
            )
            params.append(start)
        if stop is not None:
            query += sql.SQL(" AND notification_id <= %s")
            params.append(stop)
        if topics:
            query += sql.SQL(" AND topic = ANY(%s)")
            params.append(list(topics))
        query += sql.SQL(" ORDER BY notification_id LIMIT %s")
        params.append(limit)
        with self.store.pool.connection() as conn:
            rows = conn.execute(query, params, prepare=True).fetchall()
        return [
            Notification(id=nid, originator_id=oid, originator_version=v, topic=t, state=bytes(s))
            for nid, oid, v, t, s in rows
        ]

    def max_notification_id(self) -> int | None:
        """Largest notification id indexed (with several partitions: of the last partition)."""
        with self.store.pool.connection() as conn:
            row = conn.execute(
                sql.SQL("SELECT max(notification_id) FROM {}").format(self.sql.events)
            ).fetchone()
        return row[0] if row else None

    def partition_ranges(self) -> list[PartitionRange]:
        """Per partition, its id bounds and first/last indexed ids, for per-partition followers."""
        ranges = []
        query = sql.SQL(
            "SELECT min(notification_id), max(notification_id) FROM {} "
            "WHERE notification_id BETWEEN %s AND %s"
        ).format(self.sql.events)
        with self.store.pool.connection() as conn:
            for p in range(self.store.settings.partitions):
                low, high = p << PARTITION_SHIFT, ((p + 1) << PARTITION_SHIFT) - 1
                first, last = conn.execute(query, (low, high)).fetchone() or (None, None)
                ranges.append(PartitionRange(p, low, high, first, last))
        return ranges

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        """Follow the notification sequence, woken by the indexers' NOTIFY."""
        return IndexSubscription(self, gt=gt, topics=topics)


class IndexSubscription(ListenNotifySubscription[KafkaApplicationRecorder]):
    """Pulls from the index each time an indexer commits (LISTEN), or at least every second."""

    def __init__(
        self, recorder: KafkaApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._listen_thread = threading.Thread(target=self._listen, daemon=True)
        self._listen_thread.start()

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            self._listen_thread.join()

    def _listen(self) -> None:
        store = self._recorder.store
        try:
            with psycopg.connect(store.settings.database_url, autocommit=True) as conn:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(store.sql.channel)))
                idle = 0
                while not self._has_been_stopped and not self._thread_error:
                    woken = False
                    for _ in conn.notifies(timeout=0.1, stop_after=1):
                        woken = True
                    idle = 0 if woken else idle + 1
                    if woken or idle >= 10:
                        idle = 0
                        self._has_been_notified.set()
        except BaseException as e:
            if self._thread_error is None:
                self._thread_error = e
            self.stop()
