"""A credential store made by an older release gains today's columns on start, on SQLite and a
real PostgreSQL, keeping its rows; a provider's credential then names its provider's record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from services.auth.store import CredentialStore, now_text
from tests.support.postgres import Database, drop_database, fresh_database

# auth_accounts as the first release made it: no provider_record column
OLD_ACCOUNTS = (
    "CREATE TABLE auth_accounts (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
    " role TEXT NOT NULL, department TEXT, provider TEXT, region TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL DEFAULT 'active', version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL)"
)
OLD_ROW = (
    "INSERT INTO auth_accounts (name, password_hash, role, provider, created_at)"
    " VALUES ('xy-old', 'h', 'provider', 'xinyuan', '2026-01-01T00:00:00+00:00')"
)
RECORD = "7ed6e764-ef9b-5fc1-87f9-46af697ee737"


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request, tmp_path: Path, postgres: Database) -> Iterator[CredentialStore]:
    if request.param == "sqlite":
        path = tmp_path / "credentials.db"
        with sqlite3.connect(path) as db:
            db.execute(OLD_ACCOUNTS)
            db.execute(OLD_ROW)
        store = CredentialStore(sqlite_path=path)
        yield store
        store.close()
        return
    url = fresh_database(postgres.url, "credentials")
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(OLD_ACCOUNTS)
        db.execute(OLD_ROW)
    store = CredentialStore(database_url=url)
    try:
        yield store
    finally:
        store.close()
        drop_database(postgres.url, url)


def test_an_older_store_keeps_its_accounts_and_takes_provider_records(old_store) -> None:
    old = old_store.account("xy-old")
    assert old is not None and old["provider"] == "xinyuan" and old["provider_record"] is None
    old_store.add_account(
        {"name": "xy-new", "password_hash": "h", "role": "provider", "provider": "xinyuan",
         "provider_record": RECORD, "created_at": now_text()},
        "test",
    )  # fmt: skip
    new = old_store.account("xy-new")
    assert new is not None and new["provider_record"] == RECORD
    old_store.add_session("s1", "xy-new", "csrf", 1, "2999-01-01T00:00:00+00:00")
    session = old_store.session("s1")
    assert session is not None and session["provider_record"] == RECORD
