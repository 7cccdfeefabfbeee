"""View-store contract fixtures: the same cases on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from projections.runtime.postgres_store import PostgresViewStore
from projections.runtime.sqlite_store import SQLiteViewStore
from tests.support.postgres import drop_database, fresh_database
from tests.support.servers import postgres_server


@pytest.fixture(scope="session")
def views_server_url() -> Iterator[str]:
    with postgres_server() as database:
        yield database.url


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
