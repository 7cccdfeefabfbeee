"""The referral board: who holds each referral, overdue and due today first."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.referral_board.queries import list_referrals
from projections.runtime.query import Page
from services.web.render import LOCAL, local_time, region_name
from services.web.render import gettext as _
from services.web.routes.common import (
    ContainerDep,
    Region,
    household_href,
    list_response,
    region_filter,
)
from services.web.table import Column, ListDep, coded, raw

router = APIRouter(include_in_schema=False)


def end_of_today(now: datetime) -> datetime:
    """Midnight at the end of `now`'s day in Beijing time."""
    local = now.astimezone(LOCAL)
    return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=LOCAL)


def _deadline(row: dict) -> str:  # type: ignore[type-arg]
    if row["overdue"]:
        return _("Overdue")
    if row["next_due_at"] is None:
        return ""
    return _("Acceptance owed") if row["status"] == "requested" else _("Feedback owed")


COLUMNS = [
    Column("Deadline", _deadline),
    Column("Held by", coded("department", "holder"), sort="holder"),
    Column("Status", coded("referral_status", "status"), sort="status"),
    Column("Category", coded("category", "category"), sort="category"),
    Column("Urgency", coded("urgency", "urgency")),
    Column("Region", lambda r: region_name(r["region_code"]), sort="region"),
    Column(
        "Answer due (Beijing time)",
        lambda r: local_time(r["next_due_at"]),
        sort="next_due_at",
    ),
    Column(
        "Requested (Beijing time)", lambda r: local_time(r["requested_at"]), sort="requested_at"
    ),
    Column("From", coded("department", "from_department")),
    Column("Latest", lambda r: r["last_note"] or "—"),
    Column("Household", lambda r: _("Open file"), link=household_href, raw=raw("household_id")),
    Column(
        "Steps",
        lambda r: _("Act on it"),
        link=lambda r: f"/ui/referrals/{r['referral_id']}",
        raw=raw("referral_id"),
    ),
]

Due = Annotated[str | None, Query(pattern="^(overdue|today)?$")]


@router.get("/ui/referrals")
def referrals_page(
    request: Request,
    container: ContainerDep,
    params: ListDep,
    region: Region = None,
    holder: Annotated[str | None, Query(max_length=60)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    due: Due = None,
    closed: Annotated[str | None, Query(pattern="^(1)?$")] = None,
) -> Response:
    """Referrals: open ones by default; overdue or due today; by region, holder and status."""
    prefix = region_filter(region)
    now = container.clock()

    def fetch(limit: int, offset: int) -> Page:
        return list_referrals(
            container.store,
            now=now,
            region=prefix,
            holder=holder or None,
            status=status or None,
            open_only=not closed,
            overdue_only=due == "overdue",
            due_by=end_of_today(now) if due == "today" else None,
            sort=params.sort,
            limit=limit,
            offset=offset,
        )

    return list_response(
        request,
        params,
        what="referrals",
        title=_("Referral board"),
        columns=COLUMNS,
        fetch=fetch,
        filters="filters_referrals.html",
        row_class=lambda r: "overdue" if r["overdue"] else "",
    )
