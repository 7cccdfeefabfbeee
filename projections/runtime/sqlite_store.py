"""The embedded profile's view store: SQLite, rows and position committed together."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from projections.runtime.checksum import view_checksum
from projections.runtime.sql import SQLITE, SqlTx, create_statements
from projections.runtime.tables import Table
from projections.runtime.view import HandlerFailed, Row, View

_POSITIONS = """CREATE TABLE IF NOT EXISTS view_positions (
    view TEXT PRIMARY KEY, position INTEGER NOT NULL, schema_version INTEGER NOT NULL)"""


class SQLiteViewStore:
    """Views in one SQLite file (or in memory); a connection per thread, WAL for readers."""

    dialect = SQLITE

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        self._local = threading.local()
        self._tables: dict[str, Table] = {}
        self._write_lock = threading.Lock()
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as cur:
            cur.execute(_POSITIONS)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        conn = self._connection()
        with self._write_lock:
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def ensure(self, view: View) -> None:
        """Create the view's tables; a changed schema version drops them so they rebuild."""
        for table in view.tables:
            self._tables[table.name] = table
        with self._transaction() as cur:
            cur.execute("SELECT schema_version FROM view_positions WHERE view = ?", (view.name,))
            found = cur.fetchone()
            if found is not None and found[0] != view.schema_version:
                self._drop(cur, view)
                found = None
            for table in view.tables:
                for statement in create_statements(table, self.dialect):
                    cur.execute(statement)
            if found is None:
                cur.execute(
                    "INSERT INTO view_positions VALUES (?, 0, ?)", (view.name, view.schema_version)
                )

    def _drop(self, cur: sqlite3.Cursor, view: View) -> None:
        for table in view.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table.name}")
        cur.execute("DELETE FROM view_positions WHERE view = ?", (view.name,))

    def reset(self, view: View) -> None:
        """Drop the view's rows and position, ready to replay from the start."""
        with self._transaction() as cur:
            self._drop(cur, view)
        self.ensure(view)

    def position(self, view: View) -> int:
        """The last log position this view has applied (0 for none)."""
        cur = self._connection().execute(
            "SELECT position FROM view_positions WHERE view = ?", (view.name,)
        )
        found = cur.fetchone()
        return int(found[0]) if found else 0

    def apply(self, view: View, batch: Sequence[tuple[int, Any]]) -> int:
        """Apply events after the stored position and store the new position, in one transaction."""
        handlers = view.handlers()
        with self._transaction() as cur:
            cur.execute("SELECT position FROM view_positions WHERE view = ?", (view.name,))
            position = int(cur.fetchone()[0])
            tx = SqlTx(cur, self.dialect, self._tables)
            applied = 0
            for notification_id, event in batch:
                if notification_id <= position:
                    continue  # already applied: redelivery changes nothing
                handler = handlers.get(type(event))
                if handler is not None:
                    try:
                        handler(event, tx, notification_id)
                    except Exception as error:
                        raise HandlerFailed(
                            notification_id, type(event).__qualname__, error
                        ) from error
                    applied += 1
                position = notification_id
            cur.execute(
                "UPDATE view_positions SET position = ? WHERE view = ?", (position, view.name)
            )
        return applied

    def fetch(self, sql: str, params: dict[str, Any], table: str) -> list[Row]:
        """Run a portable read query and decode columns by the named table's types."""
        cur = self._connection().execute(self.dialect.render(sql), params)
        names = [d[0] for d in cur.description]
        types = self._tables[table].types()
        return [
            {n: self.dialect.decode(types.get(n, "text"), v) for n, v in zip(names, r, strict=True)}
            for r in cur.fetchall()
        ]

    def scalar(self, sql: str, params: dict[str, Any]) -> Any:
        """Run a portable query that returns one value."""
        row = self._connection().execute(self.dialect.render(sql), params).fetchone()
        return row[0] if row else None

    def checksum(self, view: View) -> str:
        """A digest of every row of every table of the view."""
        return view_checksum(self, view)

    def encode_param(self, value: Any) -> Any:
        """A query parameter as this store compares it."""
        return self.dialect.encode("ts", value)
