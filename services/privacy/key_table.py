"""The key table on SQLite (its own file) or PostgreSQL (beside the index), one small API."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any, Protocol

from eventsourcing.persistence import OperationalError

from services.errors import is_part_failure

TABLE = "privacy_household_keys"
_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (household_id TEXT PRIMARY KEY, master_key_id TEXT,"
    " wrapped {blob}, created_at TEXT NOT NULL, erased_at TEXT)"
)


class KeyTable(Protocol):
    """Statements with `%s` placeholders, on either database."""

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]: ...

    def insert_many(self, statement: str, rows: list[tuple[Any, ...]]) -> None: ...

    def after_shred(self) -> None: ...

    def close(self) -> None: ...


class SQLiteKeyTable:
    """A SQLite file of its own under the data directory (not the event store's file)."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.execute("PRAGMA secure_delete=ON")  # freed pages are overwritten with zeros
        self._conn.execute(_CREATE.format(blob="BLOB"))
        self._lock = threading.Lock()

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return self._conn.execute(statement.replace("%s", "?"), params).fetchall()
        except sqlite3.OperationalError as error:  # locked, disk full: the part failed (503)
            raise OperationalError(f"key store: {error}") from error

    def insert_many(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            with self._lock:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(statement.replace("%s", "?"), rows)
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise OperationalError(f"key store: {error}") from error

    def after_shred(self) -> None:
        # The old page may still sit in the write-ahead log: fold it back and empty the log.
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._conn.close()


class PostgresKeyTable:
    """A table in the production PostgreSQL, beside the index (never in the Kafka log)."""

    def __init__(self, url: str) -> None:
        from psycopg_pool import ConnectionPool

        self._pool = ConnectionPool(url, min_size=1, max_size=4, timeout=5, open=True)
        with self._pool.connection() as conn:
            conn.execute(_CREATE.format(blob="bytea"))

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._pool.connection() as conn:
                cur = conn.execute(statement, params)
                return list(cur.fetchall()) if cur.description else []
        except Exception as error:
            raise _unavailable(error) from error

    def insert_many(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            with self._pool.connection() as conn, conn.cursor() as cur:
                cur.executemany(statement, rows)
        except Exception as error:
            raise _unavailable(error) from error

    def after_shred(self) -> None:
        # Reclaims the dead row version that still held the wrapped key (see README).
        with self._pool.connection() as conn:
            conn.autocommit = True
            conn.execute(f"VACUUM {TABLE}")

    def close(self) -> None:
        self._pool.close()


def _unavailable(error: Exception) -> Exception:
    """A failure of PostgreSQL or its pool as the event store's OperationalError (503)."""
    return OperationalError(f"key store: {error}") if is_part_failure(error) else error
