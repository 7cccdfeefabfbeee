"""The access log's own table: SQLite beside the embedded profile's data, PostgreSQL in production.

It is kept apart from the alliance's event log (who read a file is not a fact of the alliance,
and erasing a household must not need rewriting it): one row per read or export, appended and
committed before the reader gets its answer, so a row is never lost to a crash.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

# Besides `id`, the order rows were written in.
COLUMNS: tuple[str, ...] = ("at", "subject", "role", "household", "listing", "filter")
COLUMNS += ("endpoint", "path", "purpose", "rows")


@dataclass(frozen=True)
class Access:
    """One read of a household's file, timeline, money or history, or one export of a list."""

    at: datetime
    subject: str  # who: the credential's subject ("anonymous" before login exists)
    role: str | None
    household: str | None  # the household read (its record id), or None for a list/export
    listing: str | None  # the list read or exported, e.g. "households", "needs"
    filter: str | None  # the list's query (filters, sort, page) as asked
    endpoint: str  # the route, e.g. "GET /v1/households/{household_id}"
    path: str  # the path as asked
    purpose: str | None  # the stated purpose, when given
    rows: int | None = None  # how many rows an export held


@dataclass(frozen=True)
class Search:
    """What an auditor looks for; every filter is optional."""

    household: str | None = None
    subject: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    endpoint: str | None = None


class AccessLog(Protocol):
    """Where access rows are kept."""

    def record(self, access: Access) -> None: ...

    def search(
        self, search: Search, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]: ...

    def close(self) -> None: ...


def _where(
    search: Search, mark: str, instant: Callable[[datetime], Any] = lambda d: d
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("household", search.household),
        ("subject", search.subject),
        ("endpoint", search.endpoint),
    ):
        if value is not None:
            clauses.append(f"{column} = {mark}")
            params.append(value)
    if search.since is not None:
        clauses.append(f"at >= {mark}")
        params.append(instant(search.since))
    if search.until is not None:
        clauses.append(f"at < {mark}")
        params.append(instant(search.until))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class SQLiteAccessLog:
    """A SQLite file of its own (embedded profile); every row is synced before the answer."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")  # a committed row survives a power cut
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS access_log (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " at TEXT NOT NULL, subject TEXT NOT NULL, role TEXT, household TEXT, listing TEXT,"
            " filter TEXT, endpoint TEXT NOT NULL, path TEXT NOT NULL, purpose TEXT, rows INTEGER)"
        )
        for column in ("household", "subject", "at"):
            self._conn.execute(
                f"CREATE INDEX IF NOT EXISTS access_log_{column} ON access_log ({column}, id)"
            )
        self._lock = threading.Lock()

    def record(self, access: Access) -> None:
        """Append one row and commit it."""
        values = asdict(access)
        values["at"] = _text(access.at)
        with self._lock:
            self._conn.execute(
                f"INSERT INTO access_log ({', '.join(COLUMNS)})"
                f" VALUES ({', '.join('?' * len(COLUMNS))})",
                [values[c] for c in COLUMNS],
            )

    def search(self, search: Search, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Matching rows, newest first, and how many match."""
        where, params = _where(search, "?", _text)
        with self._lock:
            total = self._conn.execute(f"SELECT count(*) FROM access_log{where}", params)
            count = int(total.fetchone()[0])
            cursor = self._conn.execute(
                f"SELECT id, {', '.join(COLUMNS)} FROM access_log{where}"
                " ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["at"] = datetime.fromisoformat(row["at"])
        return rows, count

    def close(self) -> None:
        """Close the file."""
        self._conn.close()


class PostgresAccessLog:
    """A table of its own in the production PostgreSQL, with its own small pool."""

    def __init__(self, database_url: str, schema: str = "public") -> None:
        self._table = f'"{schema}".access_log'
        self._pool = ConnectionPool(database_url, min_size=1, max_size=4, open=True)
        with self._pool.connection() as conn:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} (id BIGSERIAL PRIMARY KEY,"
                " at TIMESTAMPTZ NOT NULL, subject TEXT NOT NULL, role TEXT, household TEXT,"
                " listing TEXT, filter TEXT, endpoint TEXT NOT NULL, path TEXT NOT NULL,"
                " purpose TEXT, rows INTEGER)"
            )
            for column in ("household", "subject", "at"):
                conn.execute(
                    f"CREATE INDEX IF NOT EXISTS access_log_{column}"
                    f" ON {self._table} ({column}, id)"
                )

    def record(self, access: Access) -> None:
        """Insert one row; the transaction commits before this returns."""
        values = asdict(access)
        with self._pool.connection() as conn:
            conn.execute(
                f"INSERT INTO {self._table} ({', '.join(COLUMNS)})"
                f" VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                [values[c] for c in COLUMNS],
            )

    def search(self, search: Search, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Matching rows, newest first, and how many match."""
        where, params = _where(search, "%s")
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(f"SELECT count(*) AS n FROM {self._table}{where}", params)
            found = cur.fetchone()
            count = int(found["n"]) if found else 0
            cur.execute(
                f"SELECT id, {', '.join(COLUMNS)} FROM {self._table}{where}"
                " ORDER BY id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return list(cur.fetchall()), count

    def close(self) -> None:
        """Close the pool."""
        self._pool.close()


def _text(moment: datetime) -> str:
    """One fixed-width UTC form, so that text order is time order in SQLite."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def open_access_log(settings: Any, recorder: Any) -> AccessLog:
    """The profile's access log: a table beside the Kafka store's index, or a SQLite file."""
    if settings.profile == "production":
        index_sql = getattr(recorder, "sql", None)
        schema = getattr(index_sql, "schema", None) or "public"
        return PostgresAccessLog(settings.database_url, schema)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteAccessLog(str(settings.data_dir / "access_log.db"))
