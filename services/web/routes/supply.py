"""The services list: offerings by type, category and coverage, with this month's capacity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.shared.months import month_of
from projections.runtime.query import Page
from projections.services_list.queries import ServiceFilter, list_offerings
from services.web.render import gettext as _
from services.web.render import label_of, region_name, yuan, yuan_number
from services.web.routes.common import ContainerDep, Region, list_response, region_filter
from services.web.table import Column, ListDep, coded, raw

router = APIRouter(include_in_schema=False)


def _capacity(row: dict[str, Any]) -> str:
    if row["capacity"] is None:
        return _("no limit")
    return f"{row['remaining']} / {row['capacity']} {label_of('unit', row['unit'])}"


COLUMNS = [
    Column("Offering", raw("name")),
    Column("Provider", raw("provider_name")),
    Column("Need type", coded("need_type", "need_type")),
    Column("Category", coded("category", "category")),
    Column("Covers", lambda r: "、".join(region_name(a) for a in r["areas"])),
    Column("Left / capacity this month", _capacity),
    Column("Who for", lambda r: r["eligibility"]["description"] or _("everyone")),
    Column(
        "Cost per unit",
        lambda r: yuan(r["cost_fen"]),
        numeric=True,
        raw=lambda r: yuan_number(r["cost_fen"]),
    ),
]


@router.get("/ui/services")
def services_page(
    request: Request,
    container: ContainerDep,
    params: ListDep,
    region: Region = None,
    need_type: Annotated[str | None, Query(max_length=20)] = None,
    category: Annotated[str | None, Query(max_length=20)] = None,
    with_capacity: Annotated[str | None, Query(pattern="^(1)?$")] = None,
) -> Response:
    """Offerings that cover a region, by type and category, with this month's capacity."""
    prefix = region_filter(region)
    period = month_of(container.clock())
    wanted = ServiceFilter(
        need_type=need_type or None,
        category=category or None,
        covers=prefix if prefix and len(prefix) in (6, 9, 12) else None,
        region=prefix if prefix and len(prefix) not in (6, 9, 12) else None,
        with_capacity=bool(with_capacity),
    )

    def fetch(limit: int, offset: int) -> Page:
        return list_offerings(container.store, wanted, period=period, limit=limit, offset=offset)

    return list_response(
        request,
        params,
        what="services",
        title=_("Services list"),
        columns=COLUMNS,
        fetch=fetch,
        filters="filters_services.html",
        intro=_("Capacity is counted for %(period)s.", period=period),
    )
