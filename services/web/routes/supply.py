"""The services list and the resource list: offerings, forces, funds that reconcile, contracts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.fund_ledger.queries import donors, get_fund, list_funds, pools, trace
from projections.runtime.query import Page
from projections.services_list.queries import ServiceFilter, list_offerings, list_providers
from projections.supply_stats.queries import list_contracts
from services.api.deps import ContainerDep
from services.errors import Problem
from services.web.render import gettext as _
from services.web.render import label_of, region_name, render, yuan
from services.web.routes.common import Region, list_response, region_filter
from services.web.table import Column, ListDep, coded, raw

router = APIRouter(include_in_schema=False)
PARTS = ("free", "earmarked", "reserved", "disbursed", "refunded")  # received = their sum


def part_names() -> dict[str, str]:
    """The parts of a fund's money in the page's language."""
    return {
        "free": _("Free"),
        "earmarked": _("Earmarked"),
        "reserved": _("Reserved"),
        "disbursed": _("Disbursed"),
        "refunded": _("Refunded"),
    }


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
        raw=lambda r: r["cost_fen"] / 100,
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
    period = f"{container.clock():%Y-%m}"
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


def pool_name(pool: dict[str, Any]) -> str:
    """The free pool, or what an earmarked pool is kept for, readable."""
    if not pool["pool"]:
        return _("Free money")
    kept_for = [
        region_name(v) if k == "region" else label_of(k, v)
        for k, v in (pool["earmark"] or {}).items()
        if v
    ]
    return _("Earmarked for %(what)s", what="、".join(kept_for) or pool["pool"])


def _reconciled(fund: dict[str, Any]) -> dict[str, Any]:
    parts = {p: fund[f"{p}_fen"] for p in PARTS}
    return {**fund, "parts": parts, "adds_up": sum(parts.values()) == fund["received_fen"]}


@router.get("/ui/resources")
def resources_page(request: Request, container: ContainerDep, region: Region = None) -> Response:
    """Forces by kind, funds whose parts add up to what they received, contracts."""
    prefix = region_filter(region)
    return render(
        request,
        "resources.html",
        title=_("Resource list"),
        forces=list_providers(container.store, region=prefix, limit=500).items,
        funds=[_reconciled(f) for f in list_funds(container.store, region=prefix).items],
        contracts=list_contracts(container.store, region=prefix).items,
        parts=PARTS,
        part_names=part_names(),
    )


@router.get("/ui/funds/{fund_id}")
def fund_page(request: Request, fund_id: str, container: ContainerDep) -> Response:
    """One fund: where its money stands, its donors, and every yuan's path to a household."""
    fund = get_fund(container.store, fund_id)
    if fund is None:
        raise Problem(404, "Not found", f"no fund {fund_id}")
    return render(
        request,
        "fund.html",
        title=_("Fund: %(name)s", name=fund["name"]),
        fund=_reconciled(fund),
        parts=PARTS,
        part_names=part_names(),
        pools=pools(container.store, fund_id),
        pool_name=pool_name,
        donors=donors(container.store, fund_id),
        paths=trace(container.store, fund_id=fund_id, include_cancelled=True),
    )
