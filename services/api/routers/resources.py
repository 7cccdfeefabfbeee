"""The resource list (力量清单/资源清单): forces, money, contracts, policies; money traces."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from domain.shared.money import fen_to_yuan
from domain.shared.regions import check_prefix
from projections.fund_ledger import queries as money
from projections.household_file.queries import get_household
from projections.runtime.view import Row
from projections.services_list.queries import ServiceFilter, list_offerings, list_providers
from projections.supply_stats.queries import contract_items, get_contract, list_contracts
from services.api.deps import ContainerDep
from services.api.routers.services import period_of
from services.errors import Problem

router = APIRouter(prefix="/v1", tags=["resources"])

Region = Annotated[str | None, Query(description="A division-code prefix, e.g. 330106")]


def _region(region: str | None) -> str | None:
    return check_prefix(region) if region else None


def _with_yuan(row: Row) -> Row:
    """Add a `<name>_yuan` exact string beside every `<name>_fen` integer."""
    for name in [k for k in row if k.endswith("_fen")]:
        if isinstance(row[name], int):
            row[name[:-4] + "_yuan"] = fen_to_yuan(row[name])
    return row


def _fund(container: ContainerDep, fund: Row) -> Row:
    fund_id = fund["fund_id"]
    return {
        **_with_yuan(fund),
        "available_fen": fund["free_fen"] + fund["earmarked_fen"],
        "available_yuan": fen_to_yuan(fund["free_fen"] + fund["earmarked_fen"]),
        "earmarks": [_with_yuan(p) for p in money.pools(container.store, fund_id) if p["pool"]],
        "donors_list": [_with_yuan(d) for d in money.donors(container.store, fund_id)],
    }


@router.get("/resources", summary="The resource list: forces, money, contracts, policies")
def resources(container: ContainerDep, region: Region = None) -> dict[str, Any]:
    """Everything the alliance can give, in one answer."""
    where = _region(region)
    forces: dict[str, list[Row]] = {}
    for p in list_providers(container.store, region=where, limit=500).items:
        forces.setdefault(p["kind"], []).append(p)
    funds = [_fund(container, f) for f in money.list_funds(container.store, region=where).items]
    period = period_of(container, None)
    offerings = list_offerings(
        container.store, ServiceFilter(region=where), period=period, limit=500
    )
    policies = [
        {
            "offering_id": o["offering_id"],
            "offering": o["name"],
            "provider": o["provider_name"],
            "need_type": o["need_type"],
            "category": o["category"],
            "areas": o["areas"],
            **o["eligibility"],
        }
        for o in offerings.items
    ]
    return {
        "forces": forces,
        "money": {
            "funds": funds,
            "total_available_fen": sum(f["available_fen"] for f in funds),
            "total_available_yuan": fen_to_yuan(sum(f["available_fen"] for f in funds)),
        },
        "contracts": [_with_yuan(c) for c in list_contracts(container.store, region=where).items],
        "policies": policies,
    }


@router.get("/funds", summary="Charity funds and their balances")
def funds(container: ContainerDep, region: Region = None) -> dict[str, Any]:
    """Funds with free and earmarked balances and their donors."""
    items = [
        _fund(container, f) for f in money.list_funds(container.store, region=_region(region)).items
    ]
    return {"items": items, "total": len(items)}


@router.get("/funds/{fund_id}", summary="One fund: balances, earmarks, donors, donations")
def fund(fund_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """The fund's ledger as derived from its events."""
    found = money.get_fund(container.store, str(fund_id))
    if found is None:
        raise Problem(404, "Not found", f"no fund {fund_id}")
    return {
        **_fund(container, found),
        "donations": [_with_yuan(d) for d in money.donations(container.store, str(fund_id))],
        "allocations": [
            _with_yuan(a) for a in money.allocations(container.store, fund_id=str(fund_id))
        ],
    }


def _trace_summary(rows: list[Row], by: str) -> list[Row]:
    totals: dict[str, int] = {}
    for r in rows:
        totals[r[by]] = totals.get(r[by], 0) + r["amount_fen"]
    return [{by: k, "amount_fen": v, "amount_yuan": fen_to_yuan(v)} for k, v in totals.items()]


@router.get("/funds/{fund_id}/trace", summary="Where a fund's money went: donor → household")
def fund_trace(
    fund_id: UUID, container: ContainerDep, include_cancelled: bool = False
) -> dict[str, Any]:
    """Every draw on every donation, with the household and need it went to."""
    if money.get_fund(container.store, str(fund_id)) is None:
        raise Problem(404, "Not found", f"no fund {fund_id}")
    rows = money.trace(container.store, fund_id=str(fund_id), include_cancelled=include_cancelled)
    return {
        "fund_id": str(fund_id),
        "paths": [_with_yuan(r) for r in rows],
        "by_household": _trace_summary(rows, "household_id"),
        "by_donor": _trace_summary(rows, "donor"),
    }


@router.get("/households/{household_id}/money", summary="A household's money, back to donors")
def household_money(household_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """Every yuan allocated or paid to the household, with the donation it came from."""
    if get_household(container.store, str(household_id)) is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    rows = money.trace(container.store, household_id=str(household_id))
    received = sum(r["amount_fen"] for r in rows if r["status"] == "disbursed")
    return {
        "household_id": str(household_id),
        "paths": [_with_yuan(r) for r in rows],
        "by_donor": _trace_summary(rows, "donor"),
        "disbursed_fen": received,
        "disbursed_yuan": fen_to_yuan(received),
    }


@router.get("/contracts", summary="Purchased-service contracts")
def contracts(container: ContainerDep, region: Region = None) -> dict[str, Any]:
    """Contracts with budget spent and person-times delivered."""
    result = list_contracts(container.store, region=_region(region))
    return {"items": [_with_yuan(c) for c in result.items], "total": result.total}


@router.get("/contracts/{contract_id}", summary="One contract and what is left of each item")
def contract(contract_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """A contract's items: budget, spent, remaining, person-times used and left."""
    found = get_contract(container.store, str(contract_id))
    if found is None:
        raise Problem(404, "Not found", f"no contract {contract_id}")
    items = [_with_yuan(i) for i in contract_items(container.store, str(contract_id))]
    return {**_with_yuan(found), "items": items}
