"""The access log's store: the same contract on SQLite (embedded) and a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from services.access_log.store import (
    Access,
    PostgresAccessLog,
    Search,
    SQLiteAccessLog,
    open_access_log,
)
from tests.support.postgres import Database, drop_database, fresh_database

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def log(request, tmp_path, postgres: Database):
    if request.param == "sqlite":
        store = SQLiteAccessLog(str(tmp_path / "access_log.db"))
        yield store
        store.close()
        return
    url = fresh_database(postgres.url, "access")
    store = PostgresAccessLog(url)
    try:
        yield store
    finally:
        store.close()
        drop_database(postgres.url, url)


def read(at: datetime, subject: str = "wang", household: str | None = "h1", **kw) -> Access:
    return Access(
        at=at,
        subject=subject,
        role="coordinator",
        household=household,
        listing=kw.get("listing"),
        filter=kw.get("filter"),
        endpoint=kw.get("endpoint", "GET /v1/households/{household_id}"),
        path=f"/v1/households/{household}",
        purpose=kw.get("purpose"),
        rows=kw.get("rows"),
    )


def test_a_recorded_read_comes_back_whole(log) -> None:
    log.record(read(T0, purpose="home visit"))
    rows, total = log.search(Search(), 10, 0)
    assert total == 1
    row = rows[0]
    assert row["at"] == T0 and row["purpose"] == "home visit" and row["household"] == "h1"
    assert (row["subject"], row["role"], row["rows"]) == ("wang", "coordinator", None)


def test_rows_are_found_by_household_subject_endpoint_and_time(log) -> None:
    log.record(read(T0, household="h1"))
    log.record(read(T0 + timedelta(hours=1), subject="li", household="h2"))
    log.record(read(T0 + timedelta(hours=2), household=None, listing="needs", endpoint="GET x"))
    assert log.search(Search(household="h2"), 10, 0)[1] == 1
    assert log.search(Search(subject="wang"), 10, 0)[1] == 2
    assert log.search(Search(endpoint="GET x"), 10, 0)[0][0]["listing"] == "needs"
    since = Search(since=T0 + timedelta(minutes=30), until=T0 + timedelta(hours=2))
    assert [r["subject"] for r in log.search(since, 10, 0)[0]] == ["li"]
    # An instant in another offset is the same instant.
    beijing = (T0 + timedelta(minutes=30)).astimezone(timezone(timedelta(hours=8)))
    assert log.search(Search(since=beijing), 10, 0)[1] == 2


def test_pages_come_newest_first_with_the_total(log) -> None:
    for n in range(5):
        log.record(read(T0 + timedelta(minutes=n), purpose=str(n)))
    rows, total = log.search(Search(), 2, 1)
    assert total == 5
    assert [r["purpose"] for r in rows] == ["3", "2"]


def test_a_row_survives_reopening_the_store(tmp_path: Path, postgres: Database) -> None:
    url = fresh_database(postgres.url, "access")
    try:
        for make in (
            lambda: SQLiteAccessLog(str(tmp_path / "a.db")),
            lambda: PostgresAccessLog(url),
        ):
            first = make()
            first.record(read(T0))
            first.close()
            again = make()
            assert again.search(Search(), 10, 0)[1] == 1
            again.close()
    finally:
        drop_database(postgres.url, url)


def test_each_profile_opens_its_own_store(tmp_path: Path, postgres: Database) -> None:
    embedded = open_access_log(SimpleNamespace(profile="embedded", data_dir=tmp_path), None)
    assert isinstance(embedded, SQLiteAccessLog) and (tmp_path / "access_log.db").exists()
    embedded.close()
    url = fresh_database(postgres.url, "access")
    try:
        production = SimpleNamespace(profile="production", database_url=url)
        kept = open_access_log(production, SimpleNamespace(sql=SimpleNamespace(schema="public")))
        assert isinstance(kept, PostgresAccessLog)
        kept.close()
    finally:
        drop_database(postgres.url, url)
