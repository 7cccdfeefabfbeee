"""Reading the referral board: open referrals, overdue first, then by deadline."""

from __future__ import annotations

from datetime import datetime

from domain.referrals.model import OPEN_STATUSES
from projections.runtime.query import Page, ReadStore, Where, order_by, page
from projections.runtime.view import Row

# An answer is owed (acceptance or first feedback) and its deadline has passed.
_OVERDUE = "(next_due_at IS NOT NULL AND next_due_at < :now)"
# An answer is owed and falls due between now and `due_by` (e.g. the end of today).
_DUE_BY = "(next_due_at IS NOT NULL AND next_due_at >= :now AND next_due_at < :due_by)"
SORTS = {
    "next_due_at": "next_due_at",
    "feedback_due_at": "feedback_due_at",
    "requested_at": "requested_at",
    "holder": "holder",
    "status": "status",
    "category": "category",
    "region": "region_code",
}


def list_referrals(
    store: ReadStore,
    *,
    now: datetime,
    region: str | None = None,
    holder: str | None = None,
    household_id: str | None = None,
    status: str | None = None,
    open_only: bool = True,
    overdue_only: bool = False,
    escalated_to: str | None = None,
    due_by: datetime | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Referrals with an `overdue` flag as of `now`; overdue first, then nearest deadline."""
    where = Where(store.dialect).prefix("region_code", region).eq("holder", holder)
    where.eq("household_id", household_id).eq("status", status).eq("escalated_to", escalated_to)
    if status is None and open_only:
        where.within("status", sorted(s.value for s in OPEN_STATUSES))
    flags = {"now": store.dialect.encode("ts", now)}
    if overdue_only:
        where.clauses.append(_OVERDUE)
        where.params.update(flags)
    if due_by is not None:
        where.clauses.append(_DUE_BY)
        where.params.update(flags, due_by=store.dialect.encode("ts", due_by))
    default = (
        f"CASE WHEN {_OVERDUE} THEN 0 ELSE 1 END, next_due_at IS NULL, next_due_at,"
        " requested_at, referral_id"
    )
    result = page(
        store,
        "referral_board",
        where,
        order_by(SORTS, sort, default, "referral_id"),
        limit,
        offset,
        columns=f"*, CASE WHEN {_OVERDUE} THEN 1 ELSE 0 END AS overdue",
        extra=flags,
    )
    for row in result.items:
        row["overdue"] = bool(row["overdue"])
    return result


def breaches_due(store: ReadStore, *, now: datetime, limit: int = 500) -> list[str]:
    """Referrals whose owed answer is overdue and whose breach of that deadline is not yet
    on the board (the clock re-checks each against the log before recording anything)."""
    rows = store.fetch(
        "SELECT referral_id FROM referral_board WHERE next_due_at IS NOT NULL"
        " AND next_due_at < :now"
        " AND (last_breach_due_at IS NULL OR last_breach_due_at <> next_due_at)"
        " ORDER BY next_due_at, referral_id LIMIT :limit",
        {"now": store.dialect.encode("ts", now), "limit": limit},
        "referral_board",
    )
    return [str(row["referral_id"]) for row in rows]


def on_time_rates(store: ReadStore, *, region: str | None = None) -> list[dict[str, object]]:
    """Per holding department: answers given, how many late, and the on-time rate."""
    where = Where(store.dialect).prefix("region_code", region)
    rows = store.fetch(
        "SELECT holder,"
        " SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS n_accepted,"
        " SUM(CASE WHEN accepted_late = :yes THEN 1 ELSE 0 END) AS n_accepted_late,"
        " SUM(CASE WHEN first_feedback_at IS NOT NULL THEN 1 ELSE 0 END) AS n_feedback,"
        " SUM(CASE WHEN feedback_late = :yes THEN 1 ELSE 0 END) AS n_feedback_late,"
        " SUM(breaches) AS n_breaches"
        f" FROM referral_board {where.sql()} GROUP BY holder ORDER BY holder",
        {**where.params, "yes": store.dialect.encode("bool", True)},
        "referral_board",
    )
    out = []
    for row in rows:
        # The sums are named apart from the table's columns, so they are not decoded as them.
        n = {k: int(row[f"n_{k}"] or 0) for k in ("accepted", "accepted_late", "feedback")}
        n |= {k: int(row[f"n_{k}"] or 0) for k in ("feedback_late", "breaches")}
        answers = n["accepted"] + n["feedback"]
        late = n["accepted_late"] + n["feedback_late"]
        out.append(
            {
                "department": row["holder"],
                **n,
                "on_time_rate": None if answers == 0 else round((answers - late) / answers, 4),
            }
        )
    return out


def feedback_deadlines(store: ReadStore, *, region: str | None = None) -> list[Row]:
    """Accepted referrals' feedback deadline and first feedback, for on-time rates by month."""
    where = Where(store.dialect).prefix("region_code", region)
    where.clauses.append("feedback_due_at IS NOT NULL")
    return store.fetch(
        "SELECT referral_id, feedback_due_at, first_feedback_at FROM referral_board"
        f"{where.sql()} ORDER BY feedback_due_at, referral_id",
        where.params,
        "referral_board",
    )


def get_referral(store: ReadStore, referral_id: str, *, now: datetime) -> Row | None:
    """One referral with its `overdue` flag as of `now`, or None."""
    flags = {"now": store.dialect.encode("ts", now)}
    rows = store.fetch(
        f"SELECT *, CASE WHEN {_OVERDUE} THEN 1 ELSE 0 END AS overdue FROM referral_board"
        " WHERE referral_id = :id",
        {**flags, "id": referral_id},
        "referral_board",
    )
    for row in rows:
        row["overdue"] = bool(row["overdue"])
    return rows[0] if rows else None
