"""What SQLite and PostgreSQL view stores share: positions per stream, exactly-once batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from projections.runtime.buffered import BufferedTx
from projections.runtime.checksum import view_checksum
from projections.runtime.sql import Dialect, create_statements
from projections.runtime.stops import (
    ERROR_LIMIT,
    ApplyFailed,
    PoisonEvent,
    Stopped,
    Undecodable,
    decode_event,
    encode_event,
    encode_stop,
)
from projections.runtime.tables import Table
from projections.runtime.view import Row, View

__all__ = ["Batch", "Fetch", "PoisonEvent", "Progress", "SqlViewStore", "Stopped"]

POSITIONS_DDL = """CREATE TABLE IF NOT EXISTS view_positions (
    view TEXT NOT NULL, stream INTEGER NOT NULL, position BIGINT NOT NULL,
    schema_version INTEGER NOT NULL, stopped_at BIGINT, stopped_error TEXT,
    stopped_event TEXT, PRIMARY KEY (view, stream))"""
# Stores made before stops named their event gain the column on start.
STOPPED_EVENT_COLUMN = "stopped_event"

Batch = Sequence[tuple[int, Any]]
Fetch = Callable[[int], Batch]


@dataclass(frozen=True)
class Progress:
    """One step of a runner on one stream: events read, and events a handler took."""

    fetched: int
    applied: int


class SqlViewStore:
    """Rows and positions in one SQL database; subclasses supply connections and locking."""

    dialect: Dialect
    lock_clause = ""  # appended to the position SELECT inside a batch transaction

    def __init__(self) -> None:
        self._tables: dict[str, Table] = {}

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _read(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""
        raise NotImplementedError

    def _run(self, cur: Any, sql: str, params: dict[str, Any] | None = None) -> None:
        cur.execute(self.dialect.render(sql), params or {})

    def _position_row(self, cur: Any, view: str, stream: int, lock: bool) -> Any:
        self._run(
            cur,
            "SELECT position, stopped_at FROM view_positions WHERE view = :view AND stream = :s"
            + (self.lock_clause if lock else ""),
            {"view": view, "s": stream},
        )
        return cur.fetchone()

    # -- schema ---------------------------------------------------------------------------

    def ensure(self, view: View) -> None:
        """Create the view's tables; a changed schema version drops them so they rebuild."""
        for table in view.tables:
            self._tables[table.name] = table
        with self._transaction() as cur:
            self._run(
                cur,
                "SELECT DISTINCT schema_version FROM view_positions WHERE view = :v",
                {"v": view.name},
            )
            versions = {r[0] for r in cur.fetchall()}
            if versions and versions != {view.schema_version}:
                self._drop(cur, view)
            for table in view.tables:
                for statement in create_statements(table, self.dialect):
                    self._run(cur, statement)

    def _drop(self, cur: Any, view: View) -> None:
        for table in view.tables:
            self._run(cur, f"DROP TABLE IF EXISTS {table.name}")
        self._run(cur, "DELETE FROM view_positions WHERE view = :v", {"v": view.name})

    def reset(self, view: View) -> None:
        """Drop the view's rows and positions, ready to replay from the start."""
        with self._transaction() as cur:
            self._drop(cur, view)
        self.ensure(view)

    def _ensure_stream(self, cur: Any, view: View, stream: int) -> None:
        self._run(
            cur,
            "INSERT INTO view_positions (view, stream, position, schema_version)"
            " VALUES (:v, :s, 0, :sv) ON CONFLICT (view, stream) DO NOTHING",
            {"v": view.name, "s": stream, "sv": view.schema_version},
        )

    # -- following --------------------------------------------------------------------------

    def positions(self, view: View) -> dict[int, int]:
        """Each stream's last applied log position."""
        _, rows = self._read(
            "SELECT stream, position FROM view_positions WHERE view = :v", {"v": view.name}
        )
        return {int(s): int(p) for s, p in rows}

    def position(self, view: View, stream: int = 0) -> int:
        """The last log position this view applied on a stream (0 for none)."""
        return self.positions(view).get(stream, 0)

    def transient(self, error: BaseException) -> bool:
        """Whether a failure is the database's own (retry later) rather than the event's."""
        return False

    def step(self, view: View, stream: int, fetch: Fetch) -> Progress | None:
        """Apply the next batch of a stream in one transaction, or None if another runner has it.

        The position row is locked for the whole step, so two runners never apply the same
        events; with SKIP LOCKED the other runner moves on to another stream instead of waiting.
        Any failure that is not the database's own stops the stream at the event that caused it
        (found by applying the batch again one event at a time) and raises PoisonEvent.
        """
        try:
            with self._transaction() as cur:
                self._ensure_stream(cur, view, stream)
                found = self._position_row(cur, view.name, stream, lock=True)
                if found is None or found[1] is not None:
                    return None  # held by another runner, or stopped at a poison event
                batch = fetch(int(found[0]))
                applied = self._apply(cur, view, stream, int(found[0]), batch)
                return Progress(len(batch), applied)
        except Exception as error:
            if self.transient(error):
                raise
        return self._isolate(view, stream, fetch)

    def _apply(self, cur: Any, view: View, stream: int, position: int, batch: Batch) -> int:
        handlers = view.handlers()
        tx = BufferedTx(cur, self.dialect, self._tables)
        applied = 0
        for notification_id, event in batch:
            if notification_id <= position:
                continue  # already applied: redelivery changes nothing
            if isinstance(event, Undecodable):
                raise ApplyFailed(notification_id, event, event.error)
            handler = handlers.get(type(event))
            if handler is not None:
                try:
                    handler(event, tx, notification_id)
                except Exception as error:
                    if self.transient(error):
                        raise
                    raise ApplyFailed(notification_id, event, error) from error
                applied += 1
            position = notification_id
        tx.flush()
        self._run(
            cur,
            "UPDATE view_positions SET position = :p WHERE view = :v AND stream = :s",
            {"p": position, "v": view.name, "s": stream},
        )
        return applied

    def _isolate(self, view: View, stream: int, fetch: Fetch) -> Progress | None:
        """Apply the failed batch one event per transaction; stop the stream at the one that fails.

        Events before it are kept. If nothing fails this time the failure was not the events'
        and the step simply made progress.
        """
        fetched = applied = 0
        while True:
            try:
                with self._transaction() as cur:
                    self._ensure_stream(cur, view, stream)  # the failed step's was rolled back
                    found = self._position_row(cur, view.name, stream, lock=True)
                    if found is None or found[1] is not None:
                        return Progress(fetched, applied)
                    position = int(found[0])
                    batch = fetch(position)  # a failing log read is retried, never a stop
                    ahead = [item for item in batch if item[0] > position]
                    if not ahead:
                        return Progress(fetched, applied)
                    try:
                        applied += self._apply(cur, view, stream, position, ahead[:1])
                    except ApplyFailed:
                        raise
                    except Exception as error:  # the rows it made were refused by the database
                        if self.transient(error):
                            raise
                        raise ApplyFailed(ahead[0][0], ahead[0][1], error) from error
                    fetched += 1
            except ApplyFailed as failed:
                self._stop(view, stream, failed)
                raise PoisonEvent(view.name, stream, failed.position, str(failed)) from failed

    def _stop(self, view: View, stream: int, failed: ApplyFailed) -> None:
        """Mark the stream stopped at the failed event, with what it was and why."""
        with self._transaction() as cur:
            self._ensure_stream(cur, view, stream)
            self._run(
                cur,
                "UPDATE view_positions SET stopped_at = :at, stopped_error = :e,"
                " stopped_event = :ev WHERE view = :v AND stream = :s",
                {
                    "at": failed.position,
                    "e": str(failed)[:ERROR_LIMIT],
                    "ev": encode_event(failed),
                    "v": view.name,
                    "s": stream,
                },
            )

    def stopped(self) -> list[Stopped]:
        """Every view stream stopped at a poison event."""
        _, rows = self._read(
            "SELECT view, stream, stopped_at, stopped_error, stopped_event FROM view_positions"
            " WHERE stopped_at IS NOT NULL ORDER BY view, stream",
            {},
        )
        return [Stopped(v, int(s), int(p), e or "", *decode_event(ev)) for v, s, p, e, ev in rows]

    def resume(self, view_name: str) -> int:
        """Clear the stop marks of a view so runners retry the event; returns streams resumed."""
        with self._transaction() as cur:
            self._run(
                cur,
                "UPDATE view_positions SET stopped_at = NULL, stopped_error = NULL,"
                " stopped_event = NULL"
                " WHERE view = :v AND stopped_at IS NOT NULL",
                {"v": view_name},
            )
            return int(cur.rowcount or 0)

    # -- scratch namespaces: rebuild-and-swap, as-of replays ---------------------------------

    def scratch(self, name: str) -> SqlViewStore:
        """A store of the same kind in a separate namespace (a file, a schema)."""
        raise NotImplementedError

    def drop_scratch(self, scratch: SqlViewStore) -> None:
        """Remove a scratch namespace and everything in it."""
        raise NotImplementedError

    def _copy_table(self, cur: Any, scratch: SqlViewStore, table: Table) -> None:
        """Copy every row of a scratch table into the live table, inside the swap transaction."""
        raise NotImplementedError

    def swap_from(self, scratch: SqlViewStore, view: View, settle: Callable[[], object]) -> None:
        """Replace the live view by the scratch one in one transaction.

        The live position rows stay locked throughout, so live runners skip the view; `settle`
        runs under that lock to bring the scratch copy up to the log head before the copy.
        """
        with self._transaction() as cur:
            self._run(
                cur,
                "SELECT stream FROM view_positions WHERE view = :v"
                + self.lock_clause.replace(" SKIP LOCKED", ""),
                {"v": view.name},
            )
            settle()
            for table in view.tables:
                self._run(cur, f"DELETE FROM {table.name}")
                self._copy_table(cur, scratch, table)
            self._run(cur, "DELETE FROM view_positions WHERE view = :v", {"v": view.name})
            stops = {s.stream: s for s in scratch.stopped() if s.view == view.name}
            for stream, position in scratch.positions(view).items():
                halt = stops.get(stream)
                self._run(
                    cur,
                    "INSERT INTO view_positions (view, stream, position, schema_version,"
                    " stopped_at, stopped_error, stopped_event) VALUES (:v, :s, :p, :sv, :at, :e,"
                    " :ev)",
                    {
                        "v": view.name,
                        "s": stream,
                        "p": position,
                        "sv": view.schema_version,
                        "at": halt.position if halt else None,
                        "e": halt.error if halt else None,
                        "ev": encode_stop(halt) if halt else None,
                    },
                )

    # -- reading ----------------------------------------------------------------------------

    def fetch(self, sql: str, params: dict[str, Any], table: str) -> list[Row]:
        """Run a portable read query and decode columns by the named table's types."""
        types = self._tables[table].types()
        names, rows = self._read(sql, params)
        decode = self.dialect.decode
        return [
            {n: decode(types.get(n, "text"), v) for n, v in zip(names, r, strict=True)}
            for r in rows
        ]

    def scalar(self, sql: str, params: dict[str, Any]) -> Any:
        """Run a portable query that returns one value."""
        _, rows = self._read(sql, params)
        return rows[0][0] if rows else None

    def checksum(self, view: View) -> str:
        """A digest of every row of every table of the view."""
        return view_checksum(self, view)

    def tables(self) -> Iterator[Table]:
        """Every table this store has been asked to keep."""
        return iter(self._tables.values())
