"""The embedded profile's view store: SQLite, rows and position committed together."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from projections.runtime.sql import SQLITE
from projections.runtime.store import POSITIONS_DDL, STOPPED_EVENT_COLUMN, SqlViewStore
from projections.runtime.tables import Table


class SQLiteViewStore(SqlViewStore):
    """Views in one SQLite file; a connection per thread, WAL so readers never wait."""

    dialect = SQLITE

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = str(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as cur:
            cur.execute(POSITIONS_DDL)
            columns = {row[1] for row in cur.execute("PRAGMA table_info(view_positions)")}
            if STOPPED_EVENT_COLUMN not in columns:
                cur.execute(f"ALTER TABLE view_positions ADD COLUMN {STOPPED_EVENT_COLUMN} TEXT")

    def transient(self, error: BaseException) -> bool:
        """A busy or unreachable database file, not a row it refused."""
        if not isinstance(error, sqlite3.OperationalError):
            return False
        text = str(error).lower()
        return any(word in text for word in ("locked", "busy", "disk", "unable to open"))

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            # A bigger page cache (≈64 MB per connection) keeps large views' indexes in memory.
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        conn = self._connection()
        with self._write_lock:
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes too
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def _read(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        cur = self._connection().execute(self.dialect.render(sql), params)
        return [d[0] for d in cur.description or ()], cur.fetchall()

    def scratch(self, name: str) -> SQLiteViewStore:
        """A scratch store in a file beside this one."""
        if self.path == ":memory:":
            raise ValueError("an in-memory view store has no scratch namespace")
        return SQLiteViewStore(f"{self.path}.{name}")

    def drop_scratch(self, scratch: SqlViewStore) -> None:
        """Close and delete the scratch file."""
        assert isinstance(scratch, SQLiteViewStore)
        scratch.close()
        for suffix in ("", "-wal", "-shm"):
            Path(scratch.path + suffix).unlink(missing_ok=True)

    def _copy_table(self, cur: Any, scratch: SqlViewStore, table: Table) -> None:
        # Through Python: attaching the scratch file would lock it for the settling writer too.
        columns = ", ".join(table.column_names)
        _, rows = scratch._read(f"SELECT {columns} FROM {table.name}", {})
        marks = ", ".join("?" for _ in table.column_names)
        cur.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", rows)

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
