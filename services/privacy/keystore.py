"""Households' data keys, wrapped, in a table outside the log: SQLite (embedded) or PostgreSQL.

Read-through: every look-up asks the table, so a key destroyed by one process is gone for every
other at once. Callers may memoise keys for one request or one unit of ingest (`KeySession`),
never longer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.privacy.key_table import TABLE, KeyTable, PostgresKeyTable, SQLiteKeyTable
from services.privacy.session import Absent, Erased, KeyRace, KeySession
from services.privacy.tokens import new_data_key
from services.privacy.wrapping import KeyWrapper

__all__ = ["Absent", "Erased", "KeyRace", "KeySession", "KeyStore"]


def _now() -> str:
    return datetime.now(UTC).isoformat()


class KeyStore:
    """Creates, finds and destroys households' data keys."""

    def __init__(self, sql: KeyTable, wrapper: KeyWrapper) -> None:
        self._sql = sql
        self.wrapper = wrapper

    @classmethod
    def sqlite(cls, path: str, wrapper: KeyWrapper) -> KeyStore:
        """The embedded profile's key store."""
        return cls(SQLiteKeyTable(path), wrapper)

    @classmethod
    def postgres(cls, url: str, wrapper: KeyWrapper) -> KeyStore:
        """The production profile's key store."""
        return cls(PostgresKeyTable(url), wrapper)

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
