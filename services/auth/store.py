"""The credential store: clients, accounts, sessions and the credential events, kept apart from
the alliance's event log (SQLite under data_dir on the embedded profile, PostgreSQL otherwise).

Every method blocks: callers on the event loop run them in a thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_TABLES = """
CREATE TABLE IF NOT EXISTS auth_clients (
    client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, role TEXT NOT NULL,
    department TEXT, provider TEXT, region TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '[]', event_types TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'active', version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS auth_accounts (
    name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,
    department TEXT, provider TEXT, region TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active', version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS auth_sessions (
    id_hash TEXT PRIMARY KEY, account TEXT NOT NULL, csrf TEXT NOT NULL,
    account_version INTEGER NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS credential_events (
    seq {serial}, at TEXT NOT NULL, kind TEXT NOT NULL, credential_kind TEXT NOT NULL,
    credential TEXT NOT NULL, by_whom TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
"""
CLIENT_COLUMNS = (
    "client_id, secret_hash, role, department, provider, region, sources, event_types,"
    " status, version, created_at, provider_record"
)
ACCOUNT_COLUMNS = (
    "name, password_hash, role, department, provider, region, status, version, created_at,"
    " provider_record"
)
# Columns added after the first release: (table, column), added to older stores on start.
_ADDED = (("auth_clients", "provider_record"), ("auth_accounts", "provider_record"))
EVENT_KINDS = frozenset({"created", "rotated", "revoked", "login_failed", "login_ok"})


def now_text() -> str:
    """The wall-clock time credentials are recorded with (not the alliance's clock)."""
    return datetime.now(UTC).isoformat()


class CredentialStore:
    """Rows of credentials in SQLite or PostgreSQL, behind one small interface."""

    def __init__(self, *, sqlite_path: Path | None = None, database_url: str = "") -> None:
        self._lock = threading.Lock()
        self._pool: Any = None
        self._sqlite: sqlite3.Connection | None = None
        if database_url:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(
                database_url, min_size=1, max_size=4, open=True, timeout=5,
                kwargs={"connect_timeout": 5},  # a part down is a quick 503, not a hang
            )  # fmt: skip
            ddl = _TABLES.format(serial="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        else:
            assert sqlite_path is not None
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            self._sqlite = sqlite3.connect(
                str(sqlite_path), check_same_thread=False, isolation_level=None, timeout=10
            )
            self._sqlite.execute("PRAGMA journal_mode=WAL")
            ddl = _TABLES.format(serial="INTEGER PRIMARY KEY AUTOINCREMENT")
        for statement in filter(str.strip, ddl.split(";")):
            self._run(statement)
        self._add_columns()

    def _add_columns(self) -> None:
        """Bring a store made by an older release up to today's columns (nullable TEXT)."""
        for table, column in _ADDED:
            if self._pool is not None:
                self._run(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} TEXT")
            elif column not in {r[1] for r in self._run(f"PRAGMA table_info({table})")}:
                self._run(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self._pool is not None:
            with self._pool.connection() as conn, conn.cursor() as cur:
                yield cur
        else:
            assert self._sqlite is not None
            with self._lock:
                cur = self._sqlite.cursor()
                cur.execute("BEGIN IMMEDIATE")
                try:
                    yield cur
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                cur.execute("COMMIT")

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self._pool is not None else statement

    def _run(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            cur.execute(self._sql(statement), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def _many(self, steps: Sequence[tuple[str, Sequence[Any]]]) -> None:
        with self._cursor() as cur:
            for statement, params in steps:
                cur.execute(self._sql(statement), tuple(params))

    @staticmethod
    def _event(
        kind: str, credential_kind: str, credential: str, by: str, detail: str = ""
    ) -> tuple[str, tuple[Any, ...]]:
        assert kind in EVENT_KINDS
        return (
            "INSERT INTO credential_events (at, kind, credential_kind, credential, by_whom,"
            " detail) VALUES (?, ?, ?, ?, ?, ?)",
            (now_text(), kind, credential_kind, credential, by, detail),
        )

    # clients
    def add_client(self, row: dict[str, Any], by: str) -> None:
        """Register a client (its secret already hashed) and record who did."""
        values = (
            row["client_id"], row["secret_hash"], row["role"], row.get("department"),
            row.get("provider"), row.get("region", ""), json.dumps(list(row.get("sources", ()))),
            json.dumps(list(row.get("event_types", ()))), "active", 1, now_text(),
            row.get("provider_record"),
        )  # fmt: skip
        self._many(
            [
                (f"INSERT INTO auth_clients ({CLIENT_COLUMNS}) VALUES ({', '.join('?' * 12)})",
                 values),
                self._event("created", "client", row["client_id"], by, row["role"]),
            ]
        )  # fmt: skip

    def client(self, client_id: str) -> dict[str, Any] | None:
        """A client's row, or None."""
        rows = self._run(f"SELECT {CLIENT_COLUMNS} FROM auth_clients WHERE client_id = ?",
                         (client_id,))  # fmt: skip
        return _client_row(rows[0]) if rows else None

    def clients(self) -> list[dict[str, Any]]:
        """Every client, oldest first."""
        rows = self._run(f"SELECT {CLIENT_COLUMNS} FROM auth_clients ORDER BY created_at")
        return [_client_row(r) for r in rows]

    # accounts
    def add_account(self, row: dict[str, Any], by: str) -> None:
        """Create an account (its password already hashed) and record who did."""
        values = (
            row["name"], row["password_hash"], row["role"], row.get("department"),
            row.get("provider"), row.get("region", ""), "active", 1, now_text(),
            row.get("provider_record"),
        )  # fmt: skip
        self._many(
            [
                (f"INSERT INTO auth_accounts ({ACCOUNT_COLUMNS}) VALUES ({', '.join('?' * 10)})",
                 values),
                self._event("created", "account", row["name"], by, row["role"]),
            ]
        )  # fmt: skip

    def account(self, name: str) -> dict[str, Any] | None:
        """An account's row, or None."""
        rows = self._run(f"SELECT {ACCOUNT_COLUMNS} FROM auth_accounts WHERE name = ?", (name,))
        return dict(zip(ACCOUNT_COLUMNS.split(", "), rows[0], strict=True)) if rows else None

    def accounts(self) -> list[dict[str, Any]]:
        """Every account, oldest first."""
        rows = self._run(f"SELECT {ACCOUNT_COLUMNS} FROM auth_accounts ORDER BY created_at")
        return [dict(zip(ACCOUNT_COLUMNS.split(", "), r, strict=True)) for r in rows]

    # both
    def rotate(self, kind: str, key: str, new_hash: str, by: str) -> bool:
        """Replace a secret; tokens and sessions of the old version stop working."""
        table, id_col, secret_col = _table(kind)
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    f"UPDATE {table} SET {secret_col} = ?, version = version + 1"
                    f" WHERE {id_col} = ? AND status = 'active'"
                ),
                (new_hash, key),
            )
            if cur.rowcount != 1:
                return False
            cur.execute(*_params(self._sql, self._event("rotated", kind, key, by)))
        return True

    def revoke(self, kind: str, key: str, by: str) -> bool:
        """Revoke a credential at once; its tokens and sessions fail on their next request."""
        table, id_col, _ = _table(kind)
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    f"UPDATE {table} SET status = 'revoked', version = version + 1"
                    f" WHERE {id_col} = ? AND status = 'active'"
                ),
                (key,),
            )
            if cur.rowcount != 1:
                return False
            cur.execute(*_params(self._sql, self._event("revoked", kind, key, by)))
            if kind == "account":
                cur.execute(self._sql("DELETE FROM auth_sessions WHERE account = ?"), (key,))
        return True

    def record(
        self, kind: str, credential_kind: str, credential: str, by: str, detail: str = ""
    ) -> None:
        """Append one credential event (a login, failed or not)."""
        self._many([self._event(kind, credential_kind, credential, by, detail)])

    def credential_events(
        self, limit: int = 200, credential: str | None = None
    ) -> list[dict[str, Any]]:
        """The newest credential events first."""
        where, params = ("WHERE credential = ?", [credential]) if credential else ("", [])
        rows = self._run(
            "SELECT seq, at, kind, credential_kind, credential, by_whom, detail"
            f" FROM credential_events {where} ORDER BY seq DESC LIMIT ?",
            [*params, limit],
        )
        keys = ("seq", "at", "kind", "credential_kind", "credential", "by", "detail")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # sessions
    def add_session(
        self, id_hash: str, account: str, csrf: str, version: int, expires: str
    ) -> None:
        """Store a login session (its id only as a hash)."""
        self._many(
            [("INSERT INTO auth_sessions (id_hash, account, csrf, account_version, expires_at)"
              " VALUES (?, ?, ?, ?, ?)", (id_hash, account, csrf, version, expires))]
        )  # fmt: skip

    def session(self, id_hash: str) -> dict[str, Any] | None:
        """A live session with its account's current row, or None."""
        rows = self._run(
            "SELECT s.account, s.csrf, s.account_version, s.expires_at, a.version, a.status,"
            " a.role, a.region, a.department, a.provider, a.provider_record FROM auth_sessions s"
            " JOIN auth_accounts a ON a.name = s.account WHERE s.id_hash = ?",
            (id_hash,),
        )
        if not rows:
            return None
        keys = ("account", "csrf", "session_version", "expires_at", "version", "status", "role",
                "region", "department", "provider", "provider_record")  # fmt: skip
        return dict(zip(keys, rows[0], strict=True))

    def drop_session(self, id_hash: str) -> None:
        """End a session."""
        self._many([("DELETE FROM auth_sessions WHERE id_hash = ?", (id_hash,))])

    def close(self) -> None:
        """Release the connections."""
        if self._pool is not None:
            self._pool.close()
        if self._sqlite is not None:
            self._sqlite.close()


def _table(kind: str) -> tuple[str, str, str]:
    if kind == "client":
        return "auth_clients", "client_id", "secret_hash"
    if kind == "account":
        return "auth_accounts", "name", "password_hash"
    raise ValueError(f"unknown credential kind {kind!r}")


def _params(
    sql: Callable[[str], str], step: tuple[str, Sequence[Any]]
) -> tuple[str, tuple[Any, ...]]:
    statement, params = step
    return sql(statement), tuple(params)


def _client_row(values: Sequence[Any]) -> dict[str, Any]:
    row = dict(zip(CLIENT_COLUMNS.split(", "), values, strict=True))
    row["sources"] = tuple(json.loads(row["sources"]))
    row["event_types"] = tuple(json.loads(row["event_types"]))
    return row
