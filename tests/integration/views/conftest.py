"""View-store contract fixtures: the same cases on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import pytest

from projections.runtime.postgres_store import PostgresViewStore
from projections.runtime.sqlite_store import SQLiteViewStore
from tests.support.postgres import Database, drop_database, fresh_database


@pytest.fixture(scope="session")
def views_server_url(postgres: Database) -> str:
    """The session's PostgreSQL (tests/integration/conftest.py starts it)."""
    return postgres.url


@pytest.fixture(params=["sqlite", "postgres"])
def view_store(request, tmp_path, views_server_url):
    if request.param == "sqlite":
        yield SQLiteViewStore(tmp_path / "views.db")
        return
    url = fresh_database(views_server_url, "views")
    store = PostgresViewStore(url)
    try:
        yield store
    finally:
        store.close()
        drop_database(views_server_url, url)
