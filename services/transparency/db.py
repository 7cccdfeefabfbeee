"""The few SQL operations the tree store needs, on SQLite (embedded) or PostgreSQL (production).

Statements are written once with `%s` placeholders and `{t}` for the table prefix; SQLite gets
`?` and no row locks (its BEGIN IMMEDIATE already serialises writers).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from psycopg import sql
from psycopg_pool import ConnectionPool


class Tx(Protocol):
    """One transaction."""

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def run(self, statement: str, params: Sequence[Any] = ()) -> None: ...

    def run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None: ...


class Db(Protocol):
    """Where the tree lives."""

    dialect: str

    def tx(self) -> Any: ...  # a context manager yielding a Tx

    def close(self) -> None: ...


class SQLiteDb:
    """A SQLite file of its own beside the embedded event store."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.Lock()

    @contextmanager
    def tx(self) -> Iterator[_SQLiteTx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteTx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


class _SQLiteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @staticmethod
    def _sql(statement: str) -> str:
        return statement.replace("%s", "?").replace(" FOR UPDATE", "").format(t="tlog_", i="tlog_")

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(self._sql(statement), params).fetchall()

    def run(self, statement: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(statement), params)

    def run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(self._sql(statement), rows)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ", ".join("?" * len(columns))
        self._conn.executemany(
            f"INSERT INTO tlog_{table} ({', '.join(columns)}) VALUES ({marks})", rows
        )


class PostgresDb:
    """Tables in the event index's schema, through the index's connection pool."""

    dialect = "postgresql"

    def __init__(self, pool: ConnectionPool, schema: str) -> None:
        self._pool = pool
        self.schema = sql.Identifier(schema).as_string()
        self._prefix = self.schema + ".tlog_"
        self._on_close: list[Callable[[], None]] = []

    def on_close(self, stop: Callable[[], None]) -> None:
        """Run `stop` when the tree's db is closed (e.g. the thread following the index)."""
        self._on_close.append(stop)

    @contextmanager
    def tx(self) -> Iterator[PostgresTx]:
        with self._pool.connection() as conn, conn.transaction():
            yield PostgresTx(conn, self._prefix)

    def close(self) -> None:
        """Stop what follows the index; the pool belongs to the event store."""
        while self._on_close:
            self._on_close.pop()()


class PostgresTx:
    def __init__(self, conn: Any, prefix: str) -> None:
        self._conn = conn
        self._prefix = prefix

    def _sql(self, statement: str) -> str:
        return statement.replace("BLOB", "bytea").format(t=self._prefix, i="tlog_")

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(self._sql(statement), params).fetchall())

    def run(self, statement: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(statement), params)

    def run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(self._sql(statement), rows)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """COPY: one round trip for any number of rows."""
        if not rows:
            return
        with (
            self._conn.cursor() as cur,
            cur.copy(f"COPY {self._prefix}{table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
