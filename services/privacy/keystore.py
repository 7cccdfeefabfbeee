"""Households' data keys, wrapped, in a table outside the log: SQLite (embedded) or PostgreSQL.

Read-through: every look-up asks the table, so a key destroyed by one process is gone for every
other at once. Callers may memoise keys for one request or one unit of ingest (`KeySession`),
never longer.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import OperationalError

from services.errors import is_part_failure
from services.privacy.tokens import new_data_key
from services.privacy.wrapping import KeyWrapper

TABLE = "privacy_household_keys"
_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (household_id TEXT PRIMARY KEY, master_key_id TEXT,"
    " wrapped {blob}, created_at TEXT NOT NULL, erased_at TEXT)"
)


class Erased(Exception):
    """The household was erased: its data key is destroyed; no new personal data is taken."""

    def __init__(self, household: UUID) -> None:
        super().__init__(f"household {household} was erased: its personal data is no longer kept")
        self.household = household


class KeyRace(Exception):
    """Another process made a household's key first: values sealed with ours must be redone."""


class Absent(Enum):
    """Why a household has no key to read with."""

    ERASED = "erased"
    NONE = "none"  # never had one (or the value came from elsewhere)


class _Sql(Protocol):
    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]: ...

    def insert_many(self, statement: str, rows: list[tuple[Any, ...]]) -> None: ...

    def after_shred(self) -> None: ...

    def close(self) -> None: ...


class _SQLite:
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


class _Postgres:
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


def _now() -> str:
    return datetime.now(UTC).isoformat()


class KeyStore:
    """Creates, finds and destroys households' data keys."""

    def __init__(self, sql: _Sql, wrapper: KeyWrapper) -> None:
        self._sql = sql
        self.wrapper = wrapper

    @classmethod
    def sqlite(cls, path: str, wrapper: KeyWrapper) -> KeyStore:
        """The embedded profile's key store."""
        return cls(_SQLite(path), wrapper)

    @classmethod
    def postgres(cls, url: str, wrapper: KeyWrapper) -> KeyStore:
        """The production profile's key store."""
        return cls(_Postgres(url), wrapper)

    def _row(self, household: UUID) -> tuple[Any, ...] | None:
        rows = self._sql.execute(
            f"SELECT master_key_id, wrapped, erased_at FROM {TABLE} WHERE household_id = %s",
            (household.hex,),
        )
        return rows[0] if rows else None

    def key_to_seal(self, household: UUID) -> bytes:
        """The household's data key, created on first use; Erased once it was destroyed."""
        row = self._row(household)
        if row is None:
            kid, wrapped = self.wrapper.wrap(new_data_key())
            self._sql.execute(
                f"INSERT INTO {TABLE} (household_id, master_key_id, wrapped, created_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (household_id) DO NOTHING",
                (household.hex, kid, wrapped, _now()),
            )
            row = self._row(household)  # whoever created it first, every process uses theirs
            assert row is not None
        key = self._unwrapped(row)
        if key is Absent.ERASED:
            raise Erased(household)
        assert isinstance(key, bytes)
        return key

    def existing_key_to_seal(self, household: UUID) -> bytes | None:
        """The household's data key if it has one (Erased once destroyed), else None."""
        row = self._row(household)
        if row is None:
            return None
        key = self._unwrapped(row)
        if key is Absent.ERASED:
            raise Erased(household)
        assert isinstance(key, bytes)
        return key

    def create_many(self, keys: dict[UUID, bytes]) -> None:
        """Store new households' keys in one transaction; KeyRace if any was made elsewhere."""
        if not keys:
            return
        rows = []
        for household, key in keys.items():
            kid, wrapped = self.wrapper.wrap(key)
            rows.append((household.hex, kid, wrapped, _now()))
        self._sql.insert_many(
            f"INSERT INTO {TABLE} (household_id, master_key_id, wrapped, created_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (household_id) DO NOTHING",
            rows,
        )
        stored = self._rows(list(keys))
        for household, key in keys.items():
            row = stored.get(household.hex)
            if row is None or self._unwrapped(row) != key:
                raise KeyRace(f"household {household}: its key was made by another writer")

    def _rows(self, households: list[UUID]) -> dict[str, tuple[Any, ...]]:
        """Rows of many households, by household id (hex), in few queries."""
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(households), 500):
            chunk = [h.hex for h in households[start : start + 500]]
            marks = ", ".join(["%s"] * len(chunk))
            for household, *row in self._sql.execute(
                f"SELECT household_id, master_key_id, wrapped, erased_at FROM {TABLE}"
                f" WHERE household_id IN ({marks})",
                tuple(chunk),
            ):
                found[household] = tuple(row)
        return found

    def key_to_read(self, household: UUID) -> bytes | Absent:
        """The household's data key, or why there is none."""
        row = self._row(household)
        return Absent.NONE if row is None else self._unwrapped(row)

    def _unwrapped(self, row: tuple[Any, ...]) -> bytes | Absent:
        kid, wrapped, erased_at = row
        if erased_at is not None or wrapped is None:
            return Absent.ERASED
        return self.wrapper.unwrap(kid, bytes(wrapped))

    def is_erased(self, household: UUID) -> bool:
        """Whether the household's key was destroyed."""
        row = self._row(household)
        return row is not None and row[2] is not None

    def shred(self, household: UUID) -> None:
        """Destroy the household's data key (idempotent); it can never be made again."""
        now = _now()
        self._sql.execute(
            f"INSERT INTO {TABLE} (household_id, master_key_id, wrapped, created_at, erased_at)"
            " VALUES (%s, NULL, NULL, %s, %s) ON CONFLICT (household_id) DO UPDATE SET"
            f" master_key_id = NULL, wrapped = NULL, erased_at = COALESCE({TABLE}.erased_at,"
            " excluded.erased_at)",
            (household.hex, now, now),
        )
        self._sql.after_shred()

    def rewrap(self) -> int:
        """Rewrap every live data key under the current master key; how many were rewrapped."""
        current = self.wrapper.current_id
        rows = self._sql.execute(
            f"SELECT household_id, master_key_id, wrapped FROM {TABLE}"
            " WHERE wrapped IS NOT NULL AND master_key_id <> %s",
            (current,),
        )
        for household, kid, wrapped in rows:
            new_kid, new_wrapped = self.wrapper.wrap(self.wrapper.unwrap(kid, bytes(wrapped)))
            self._sql.execute(
                f"UPDATE {TABLE} SET master_key_id = %s, wrapped = %s"
                " WHERE household_id = %s AND master_key_id = %s AND wrapped IS NOT NULL",
                (new_kid, new_wrapped, household, kid),
            )
        return len(rows)

    def session(self, deferred: bool = False) -> KeySession:
        """Keys memoised for one request or one unit of ingest."""
        return KeySession(self, deferred)

    def close(self) -> None:
        """Release the connection(s)."""
        self._sql.close()


@dataclass
class KeySession:
    """A memo of keys for one short piece of work; shredding through it forgets the key too.

    A deferred session (a unit of batch ingest) makes new households' keys in memory and
    stores them all in one transaction with `flush()`, which must come before the unit's
    events are saved.
    """

    store: KeyStore
    deferred: bool = False
    _seal: dict[UUID, bytes] = field(default_factory=dict)
    _read: dict[UUID, bytes | Absent] = field(default_factory=dict)
    _new: dict[UUID, bytes] = field(default_factory=dict)
    _ciphers: dict[UUID, AESGCM] = field(default_factory=dict)

    def key_to_seal(self, household: UUID) -> bytes:
        """As KeyStore.key_to_seal, memoised (and, deferred, created at flush)."""
        if household not in self._seal:
            if not self.deferred:
                self._seal[household] = self.store.key_to_seal(household)
            else:
                key = self.store.existing_key_to_seal(household)
                if key is None:
                    key = self._new[household] = new_data_key()
                self._seal[household] = key
        return self._seal[household]

    def cipher_to_seal(self, household: UUID) -> AESGCM:
        """The household's key as a ready AES-GCM cipher, memoised like the key."""
        if household not in self._ciphers:
            self._ciphers[household] = AESGCM(self.key_to_seal(household))
        return self._ciphers[household]

    def flush(self) -> None:
        """Store the keys made in this session (KeyRace when another writer made one first)."""
        made, self._new = self._new, {}
        try:
            self.store.create_many(made)
        except BaseException:
            self._seal.clear()
            self._ciphers.clear()
            raise

    def key_to_read(self, household: UUID) -> bytes | Absent:
        """As KeyStore.key_to_read, memoised."""
        if household not in self._read:
            self._read[household] = self.store.key_to_read(household)
        return self._read[household]

    def shred(self, household: UUID) -> None:
        """Destroy the key everywhere, this memo included."""
        self._seal.pop(household, None)
        self._read.pop(household, None)
        self._new.pop(household, None)
        self._ciphers.pop(household, None)
        self.store.shred(household)
