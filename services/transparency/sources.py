"""Where the tree takes its leaves from: the events the store committed, hashed as leaves.

- `RecorderSource`: any eventsourcing application recorder (the embedded SQLite log): reads
  notifications and hashes them here.
- `PostgresIndexSource`: the Kafka store's PostgreSQL index: PostgreSQL frames and hashes each
  event (the same bytes as leaves.leaf_bytes) so only ids and 32-byte hashes cross the wire;
  what keeps tree maintenance a small fraction of batch ingest (see bench/transparency.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder
from psycopg import sql

from services.transparency.leaves import event_leaf_hash, uuid_text

# (notification id, originator id as text, version, leaf hash)
Leaf = tuple[int, str, int, bytes]
# (notification id, originator id, version, topic, state) in log order
Event = tuple[int, Any, int, str, bytes]
_CHUNK = 10_000


def leaf_hash_sql(alias: str) -> str:
    """PostgreSQL's expression for an index row's leaf hash: SHA-256(0x00 || leaf_bytes), the
    framing of leaves.leaf_bytes written in SQL (`alias` qualifies the columns, e.g. "e.")."""
    oid = f"convert_to({alias}originator_id::text, 'UTF8')"
    topic = f"convert_to({alias}topic, 'UTF8')"

    def u16(value: str) -> str:
        return f"substring(int4send(octet_length({value})) from 3)"

    return (
        f"sha256('\\x00'::bytea || {u16(oid)} || {oid} || int8send({alias}originator_version)"
        f" || {u16(topic)} || {topic} || int4send(octet_length({alias}state)) || {alias}state)"
    )


class LeafSource(Protocol):
    """Committed events of a log, as leaves, in notification order."""

    def leaves_after(self, position: int, stop: int, limit: int) -> Sequence[Leaf]: ...

    def notification_of(self, originator_id: str, version: int) -> int | None: ...

    def events(self, low: int, high: int) -> Iterator[Event]: ...


class RecorderSource:
    """Leaves from an application recorder's notification log, hashed in Python."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.recorder = recorder

    def leaves_after(self, position: int, stop: int, limit: int) -> list[Leaf]:
        """Up to `limit` leaves after `position`, up to `stop`."""
        batch = self.recorder.select_notifications(
            start=position, limit=limit, stop=stop, inclusive_of_start=False
        )
        return [
            (
                n.id,
                str(n.originator_id),
                n.originator_version,
                event_leaf_hash(n.originator_id, n.originator_version, n.topic, n.state),
            )
            for n in batch
        ]

    def notification_of(self, originator_id: str, version: int) -> int | None:
        """The notification id of an aggregate's event (SQLite: its stored_events rowid)."""
        datastore: Any = getattr(self.recorder, "datastore", None)
        table = getattr(self.recorder, "events_table_name", "stored_events")
        if datastore is None:
            return None
        stored_id = originator_id.replace("-", "")  # eventsourcing keeps UUIDs as hex text
        with datastore.transaction(commit=False) as cur:
            cur.execute(
                f"SELECT rowid FROM {table} WHERE originator_id IN (?, ?) "
                "AND originator_version = ?",
                (stored_id, originator_id, version),
            )
            row = cur.fetchone()
        return int(row[0]) if row else None

    def events(self, low: int, high: int) -> Iterator[Event]:
        """The stored events with notification ids in [low, high], in order."""
        position = low - 1
        while True:
            batch = self.recorder.select_notifications(
                start=position, limit=_CHUNK, stop=high, inclusive_of_start=False
            )
            for n in batch:
                yield n.id, n.originator_id, n.originator_version, n.topic, n.state
            if len(batch) < _CHUNK:
                return
            position = batch[-1].id


class SQLiteLogSource:
    """The embedded event store's file read directly: its stored bytes, without decoding."""

    def __init__(self, path: str, table: str = "stored_events") -> None:
        self.path, self.table = path, table
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._select = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?"
        )
        self._lookup = (
            f"SELECT rowid FROM {table} WHERE originator_id IN (?, ?) AND originator_version = ?"
        )

    def _rows(self, position: int, stop: int, limit: int) -> list[tuple[Any, ...]]:
        return self._conn.execute(self._select, (position, stop, limit)).fetchall()

    def leaves_after(self, position: int, stop: int, limit: int) -> list[Leaf]:
        """Up to `limit` leaves after `position`, up to `stop`."""
        leaves = []
        for nid, stored, version, topic, state in self._rows(position, stop, limit):
            oid = uuid_text(stored)
            leaves.append((nid, oid, version, event_leaf_hash(oid, version, topic, state)))
        return leaves

    def notification_of(self, originator_id: str, version: int) -> int | None:
        """The rowid of an aggregate's event."""
        row = self._conn.execute(
            self._lookup, (originator_id.replace("-", ""), originator_id, version)
        ).fetchone()
        return int(row[0]) if row else None

    def events(self, low: int, high: int) -> Iterator[Event]:
        """The stored events with rowids in [low, high], in order."""
        position = low - 1
        while True:
            rows = self._rows(position, high, _CHUNK)
            for nid, stored, version, topic, state in rows:
                yield nid, uuid_text(stored), version, topic, state
            if len(rows) < _CHUNK:
                return
            position = rows[-1][0]


class PostgresIndexSource:
    """Leaves from the Kafka store's index, framed and hashed by PostgreSQL."""

    def __init__(self, pool: Any, events_table: sql.Composable, id_type: str = "uuid") -> None:
        self.pool = pool
        self._select = sql.SQL(
            "SELECT notification_id, originator_id::text, originator_version, "
            + leaf_hash_sql("")
            + " FROM {} WHERE notification_id > %s AND notification_id <= %s "
            + "ORDER BY notification_id LIMIT %s"
        ).format(events_table)
        self._events = sql.SQL(
            "SELECT notification_id, originator_id::text, originator_version, topic, state "
            "FROM {} WHERE notification_id BETWEEN %s AND %s ORDER BY notification_id"
        ).format(events_table)
        self._lookup = sql.SQL(
            "SELECT notification_id FROM {} WHERE originator_id = %s::{} "
            "AND originator_version = %s"
        ).format(events_table, sql.SQL("uuid" if id_type == "uuid" else "text"))

    def leaves_after(self, position: int, stop: int, limit: int) -> list[Leaf]:
        """Up to `limit` leaves after `position`, up to `stop`."""
        with self.pool.connection() as conn:
            rows = conn.execute(self._select, (position, stop, limit), binary=True).fetchall()
        return [(nid, oid, version, bytes(h)) for nid, oid, version, h in rows]

    def notification_of(self, originator_id: str, version: int) -> int | None:
        """The notification id of an aggregate's event in the index."""
        with self.pool.connection() as conn:
            row = conn.execute(self._lookup, (originator_id, version)).fetchone()
        return int(row[0]) if row else None

    def events(self, low: int, high: int) -> Iterator[Event]:
        """The indexed events with notification ids in [low, high], hashed by the caller."""
        with (
            self.pool.connection() as conn,
            conn.transaction(),
            conn.cursor(name="tlog_verify", binary=True) as cur,
        ):
            cur.itersize = _CHUNK
            cur.execute(self._events, (low, high))
            for nid, oid, version, topic, state in cur:
                yield nid, oid, version, topic, bytes(state)
