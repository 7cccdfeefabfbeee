"""Reading household files and their timelines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.runtime.query import Page, ReadStore, Where, order_by, page
from projections.runtime.view import Row

SORTS = {
    "needs_open": "needs_open",
    "discovered_at": "discovered_at",
    "region": "region_code",
    "channel": "first_channel",
    "circle": "difficulty_circle",
}


def get_household(store: ReadStore, household_id: str) -> Row | None:
    """One household file, or None."""
    rows = store.fetch(
        "SELECT * FROM household_files WHERE household_id = :id",
        {"id": household_id},
        "household_files",
    )
    return rows[0] if rows else None


def find_household_by_key(store: ReadStore, household_key: str) -> Row | None:
    """The household file with this pseudonymous key, or None."""
    rows = store.fetch(
        "SELECT * FROM household_files WHERE household_key = :k",
        {"k": household_key},
        "household_files",
    )
    return rows[0] if rows else None


def list_households(
    store: ReadStore,
    *,
    region: str | None = None,
    channel: str | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Household files in a jurisdiction, most open needs first."""
    where = Where(store.dialect).prefix("region_code", region).eq("first_channel", channel)
    order = order_by(SORTS, sort, "needs_open DESC, discovered_at, household_id", "household_id")
    return page(store, "household_files", where, order, limit, offset)


def timeline(store: ReadStore, household_id: str, limit: int = 500) -> list[Row]:
    """Every event about the household, in log order."""
    params: dict[str, Any] = {"id": household_id, "limit": limit}
    return store.fetch(
        "SELECT * FROM household_timeline WHERE household_id = :id"
        " ORDER BY position, record_id LIMIT :limit",
        params,
        "household_timeline",
    )


def household_regions(store: ReadStore, *, limit: int = 5000) -> list[str]:
    """The division codes households live in, for region pickers."""
    rows = store.fetch(
        "SELECT DISTINCT region_code FROM household_files ORDER BY region_code LIMIT :limit",
        {"limit": limit},
        "household_files",
    )
    return [str(r["region_code"]) for r in rows]


def timeline_page(store: ReadStore, household_id: str, *, limit: int, offset: int) -> Page:
    """One page of the household's timeline, in log order."""
    where = Where(store.dialect).eq("household_id", household_id)
    return page(store, "household_timeline", where, "position, record_id", limit, offset)


def applications_overdue(store: ReadStore, *, now: datetime, limit: int = 500) -> list[str]:
    """Households whose self-application's answer is overdue and not yet recorded so (the clock
    re-checks each against the log before recording anything)."""
    rows = store.fetch(
        "SELECT household_id FROM household_files WHERE answer_due_at IS NOT NULL"
        " AND answer_due_at < :now"
        " AND (last_overdue_due_at IS NULL OR last_overdue_due_at <> answer_due_at)"
        " ORDER BY answer_due_at, household_id LIMIT :limit",
        {"now": store.dialect.encode("ts", now), "limit": limit},
        "household_files",
    )
    return [str(row["household_id"]) for row in rows]
