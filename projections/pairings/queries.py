"""Reading the pairings list: a coordinator's pairings by region, overdue first."""

from __future__ import annotations

from datetime import datetime

from projections.runtime.query import Page, ReadStore, Where, page

_KINDS = ("call", "visit", "deed")
_OVERDUE = "(next_due_at IS NOT NULL AND next_due_at < :now)"


def list_pairings(
    store: ReadStore,
    *,
    now: datetime,
    region: str | None = None,
    kind: str | None = None,
    status: str | None = "active",
    overdue_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Pairings with an `overdue` flag and the contacts overdue as of `now`."""
    where = Where(store.dialect).prefix("region_code", region).eq("kind", kind)
    where.eq("status", status)
    flags = {"now": store.dialect.encode("ts", now)}
    if overdue_only:
        where.clauses.append(_OVERDUE)
        where.params.update(flags)
    result = page(
        store,
        "pairings",
        where,
        f"CASE WHEN {_OVERDUE} THEN 0 ELSE 1 END, next_due_at IS NULL, next_due_at, pairing_id",
        limit,
        offset,
        columns=f"*, CASE WHEN {_OVERDUE} THEN 1 ELSE 0 END AS overdue, "
        + ", ".join(
            f"CASE WHEN {kind}_due_at < :now THEN 1 ELSE 0 END AS {kind}_overdue" for kind in _KINDS
        ),
        extra=flags,
    )
    for row in result.items:
        row["overdue"] = bool(row["overdue"])
        row["overdue_contacts"] = [kind for kind in _KINDS if row.pop(f"{kind}_overdue")]
    return result
