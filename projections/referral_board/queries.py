"""Reading the referral board: open referrals, overdue first, then by deadline."""

from __future__ import annotations

from datetime import datetime

from domain.referrals.model import OPEN_STATUSES
from projections.runtime.query import Page, ReadStore, Where, page
from projections.runtime.view import Row

_OVERDUE = "(awaiting_feedback = :yes AND feedback_due_at < :now)"


def list_referrals(
    store: ReadStore,
    *,
    now: datetime,
    region: str | None = None,
    holder: str | None = None,
    status: str | None = None,
    open_only: bool = True,
    overdue_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Referrals with an `overdue` flag as of `now`; overdue first, then nearest deadline."""
    where = Where(store.dialect).prefix("region_code", region).eq("holder", holder)
    where.eq("status", status)
    if status is None and open_only:
        where.within("status", sorted(s.value for s in OPEN_STATUSES))
    flags = {"yes": store.dialect.encode("bool", True), "now": store.dialect.encode("ts", now)}
    if overdue_only:
        where.clauses.append(_OVERDUE)
        where.params.update(flags)
    result = page(
        store,
        "referral_board",
        where,
        f"CASE WHEN {_OVERDUE} THEN 0 ELSE 1 END, feedback_due_at IS NULL, feedback_due_at,"
        " requested_at, referral_id",
        limit,
        offset,
        columns=f"*, CASE WHEN {_OVERDUE} THEN 1 ELSE 0 END AS overdue",
        extra=flags,
    )
    for row in result.items:
        row["overdue"] = bool(row["overdue"])
    return result


def get_referral(store: ReadStore, referral_id: str, *, now: datetime) -> Row | None:
    """One referral with its `overdue` flag as of `now`, or None."""
    flags = {"yes": store.dialect.encode("bool", True), "now": store.dialect.encode("ts", now)}
    rows = store.fetch(
        f"SELECT *, CASE WHEN {_OVERDUE} THEN 1 ELSE 0 END AS overdue FROM referral_board"
        " WHERE referral_id = :id",
        {**flags, "id": referral_id},
        "referral_board",
    )
    for row in rows:
        row["overdue"] = bool(row["overdue"])
    return rows[0] if rows else None
