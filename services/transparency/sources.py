"""Where the tree takes its leaves from: the events the store committed, hashed as leaves.

- `RecorderSource`: any eventsourcing application recorder (the embedded SQLite log): reads
  notifications and hashes them here.
- `PostgresIndexSource`: the Kafka store's PostgreSQL index: PostgreSQL frames and hashes each
  event (the same bytes as leaves.leaf_bytes) so only ids and 32-byte hashes cross the wire;
  what keeps tree maintenance a small fraction of batch ingest (see bench/transparency.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder
from psycopg import sql

from services.transparency.leaves import event_leaf_hash

# (notification id, originator id as text, version, leaf hash)
Leaf = tuple[int, str, int, bytes]


class LeafSource(Protocol):
    """Committed events of a log, as leaves, in notification order."""

    def leaves_after(self, position: int, stop: int, limit: int) -> Sequence[Leaf]: ...

    def notification_of(self, originator_id: str, version: int) -> int | None: ...


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


class PostgresIndexSource:
    """Leaves from the Kafka store's index, framed and hashed by PostgreSQL."""

    def __init__(self, pool: Any, events_table: sql.Composable, id_type: str = "uuid") -> None:
        self.pool = pool
        u16 = "substring(int4send(octet_length({0})) from 3)"
        oid = "originator_id::text"
        frame = (
            "'\\x00'::bytea || "
            + u16.format(f"convert_to({oid}, 'UTF8')")
            + f" || convert_to({oid}, 'UTF8') || int8send(originator_version) || "
            + u16.format("convert_to(topic, 'UTF8')")
            + " || convert_to(topic, 'UTF8') || int4send(octet_length(state)) || state"
        )
        self._select = sql.SQL(
            "SELECT notification_id, originator_id::text, originator_version, "
            + f"sha256({frame}) FROM {{}} WHERE notification_id > %s AND notification_id <= %s "
            + "ORDER BY notification_id LIMIT %s"
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
