"""The needs list (需求清单): filters, paging, sorting, exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.needs_list.queries import list_needs
from projections.runtime.query import Page
from services.web.render import gettext as _
from services.web.render import local_time, region_name
from services.web.routes.common import (
    ContainerDep,
    Region,
    household_href,
    list_response,
    region_filter,
)
from services.web.table import Column, ListDep, coded, raw

router = APIRouter(include_in_schema=False)
ACTIVE = ("open", "referred")  # a need still waiting to be met


COLUMNS = [
    Column("Urgency", coded("urgency", "urgency"), sort="urgency"),
    Column("Need type", coded("need_type", "need_type"), sort="need_type"),
    Column("Category", coded("category", "category"), sort="category"),
    Column("Need", lambda r: r["description"] or "—"),
    Column("Region", lambda r: region_name(r["region_code"]), sort="region"),
    Column("Status", coded("need_status", "status"), sort="status"),
    Column("Held by", coded("department", "holder"), sort="holder"),
    Column("Raised (Beijing time)", lambda r: local_time(r["raised_at"]), sort="raised_at"),
    Column("Household", lambda r: _("Open file"), link=household_href, raw=raw("household_id")),
]


@router.get("/ui/needs")
def needs_page(
    request: Request,
    container: ContainerDep,
    params: ListDep,
    region: Region = None,
    need_type: Annotated[str | None, Query(max_length=20)] = None,
    category: Annotated[str | None, Query(max_length=20)] = None,
    urgency: Annotated[str | None, Query(max_length=20)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """Needs, still open ones by default; filter by region, type, category, urgency, status."""
    prefix = region_filter(region)
    chosen = status or "active"
    statuses = ACTIVE if chosen == "active" else None if chosen == "all" else (chosen,)

    def fetch(limit: int, offset: int) -> Page:
        return list_needs(
            container.store,
            region=prefix,
            need_type=need_type or None,
            category=category or None,
            urgency=urgency or None,
            statuses=statuses,
            sort=params.sort,
            limit=limit,
            offset=offset,
        )

    return list_response(
        request,
        params,
        what="needs",
        title=_("Needs list"),
        columns=COLUMNS,
        fetch=fetch,
        filters="filters_needs.html",
        row_class=lambda r: (
            "overdue" if r["urgency"] == "critical" and r["status"] == "open" else ""
        ),
    )
