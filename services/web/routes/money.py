"""The resource list and fund traces: forces, funds whose money adds up, contracts; exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.fund_ledger.queries import donors, get_fund, list_funds, pools, trace
from projections.services_list.queries import list_providers
from projections.supply_stats.queries import list_contracts
from services.auth.jurisdiction import visible
from services.errors import Problem
from services.web import exports
from services.web.render import gettext as _
from services.web.render import label_of, local_time, region_name, render, yuan, yuan_number
from services.web.routes.common import ContainerDep, Region, region_filter
from services.web.table import Column, coded, raw

router = APIRouter(include_in_schema=False)
PARTS = ("free", "earmarked", "reserved", "disbursed", "refunded")  # received = their sum
Format = Annotated[str | None, Query(pattern="^(csv|xlsx)$")]


def part_names() -> dict[str, str]:
    """The parts of a fund's money in the page's language."""
    return {
        "free": _("Free"),
        "earmarked": _("Earmarked"),
        "reserved": _("Reserved"),
        "disbursed": _("Disbursed"),
        "refunded": _("Refunded"),
    }


TITLES = {  # the same msgids as the page's headings
    "received": "Received",
    "free": "Free",
    "earmarked": "Earmarked",
    "reserved": "Reserved",
    "disbursed": "Disbursed",
    "refunded": "Refunded",
    "budget": "Budget",
    "spent": "Spent",
}


def _money(key: str) -> Column:
    return Column(
        TITLES[key],
        lambda r: yuan(r[f"{key}_fen"]),
        numeric=True,
        raw=lambda r: yuan_number(r[f"{key}_fen"]),
    )


EXPORTS: dict[str, list[Column]] = {
    "funds": [Column("Fund", raw("name")), _money("received"), *(_money(p) for p in PARTS)],
    "forces": [
        Column("Name", raw("name")),
        Column("Kind", coded("provider_kind", "kind")),
        Column("Region", lambda r: region_name(r["region_code"])),
        Column("Open offerings", raw("offerings_open"), numeric=True),
    ],
    "contracts": [
        Column("Contract", raw("title")),
        _money("budget"),
        _money("spent"),
        Column("Person-times", raw("person_times"), numeric=True),
    ],
}
TRACE = [
    Column("Donor", raw("donor")),
    Column(
        "Amount",
        lambda r: yuan(r["amount_fen"]),
        numeric=True,
        raw=lambda r: yuan_number(r["amount_fen"]),
    ),
    Column("Category", coded("category", "category")),
    Column("Region", lambda r: region_name(r["region_code"])),
    Column("Status", coded("trace_status", "status")),
    Column("Household", raw("household_id")),
    Column("Reserved (Beijing time)", lambda r: local_time(r["allocated_at"])),
]


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
def resources_page(
    request: Request,
    container: ContainerDep,
    region: Region = None,
    format: Format = None,
    list: Annotated[str, Query(pattern="^(funds|forces|contracts)$")] = "funds",
) -> Response:
    """Forces by kind, funds whose parts add up to what they received, contracts."""
    prefix = region_filter(region)
    forces = list_providers(container.store, region=prefix, limit=10_000).items
    funds = [_reconciled(f) for f in list_funds(container.store, region=prefix, limit=10_000).items]
    contracts = list_contracts(container.store, region=prefix, limit=10_000).items
    if format:
        rows = {"funds": funds, "forces": forces, "contracts": contracts}[list]
        titles = {
            "funds": _("Charity funds"),
            "forces": _("Forces"),
            "contracts": _("Purchased-service contracts"),
        }
        return exports.export(request, list, titles[list], EXPORTS[list], rows)
    return render(
        request,
        "resources.html",
        title=_("Resource list"),
        forces=forces,
        funds=funds,
        contracts=contracts,
        parts=PARTS,
        part_names=part_names(),
    )


@router.get("/ui/funds/{fund_id}")
def fund_page(
    request: Request, fund_id: str, container: ContainerDep, format: Format = None
) -> Response:
    """One fund: where its money stands, its donors, and every yuan's path to a household."""
    fund = visible(get_fund(container.store, fund_id))
    if fund is None:
        raise Problem(404, "Not found", f"no fund {fund_id}")
    paths = trace(container.store, fund_id=fund_id, include_cancelled=True)
    if format:
        return exports.export(request, "fund-trace", _("Fund trace"), TRACE, paths)
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
        paths=paths,
    )
