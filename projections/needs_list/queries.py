"""Reading the needs list: filter by region, type, category, urgency, status; paged."""

from __future__ import annotations

from projections.runtime.query import Page, ReadStore, Where, order_by, page
from projections.runtime.view import Row

SORTS = {
    "urgency": "urgency_rank",
    "raised_at": "raised_at",
    "need_type": "need_type",
    "category": "category",
    "region": "region_code",
    "status": "status",
    "holder": "holder",
}


def list_needs(
    store: ReadStore,
    *,
    region: str | None = None,
    need_type: str | None = None,
    category: str | None = None,
    urgency: str | None = None,
    status: str | None = None,
    household_id: str | None = None,
    statuses: tuple[str, ...] | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Needs in a jurisdiction, most urgent and longest waiting first."""
    where = (
        Where(store.dialect)
        .prefix("region_code", region)
        .eq("need_type", need_type)
        .eq("category", category)
        .eq("urgency", urgency)
        .eq("status", status)
        .eq("household_id", household_id)
        .within("status", statuses)
    )
    order = order_by(SORTS, sort, "urgency_rank, raised_at, need_id", "need_id")
    return page(store, "needs_list", where, order, limit, offset)


def get_need(store: ReadStore, need_id: str) -> Row | None:
    """One need of the needs list, or None."""
    rows = store.fetch(
        "SELECT * FROM needs_list WHERE need_id = :id", {"id": need_id}, "needs_list"
    )
    return rows[0] if rows else None
