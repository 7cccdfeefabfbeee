"""Charity funds (the money of the resource list) and the trace of every yuan."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request

from domain.shared.money import fen_to_yuan
from projections.fund_ledger import queries as money
from projections.household_file.queries import get_household
from services.access_log.record import Purpose, record_read
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.money import FundLedger, FundPage, FundTrace, HouseholdMoney
from services.api.routers.reading import NOT_FOUND, read_router
from services.auth.jurisdiction import visible
from services.container import Container
from services.errors import Problem

Row = dict[str, Any]

router = read_router("funds")


def with_yuan(row: Row) -> Row:
    """Add a `<name>_yuan` exact string beside every `<name>_fen` integer."""
    for name in [k for k in row if k.endswith("_fen")]:
        if isinstance(row[name], int):
            row[name[:-4] + "_yuan"] = fen_to_yuan(row[name])
    return row


def fund_of(container: Container, fund: Row) -> Row:
    """A fund row with its available money, earmarked pools and donors."""
    fund_id = fund["fund_id"]
    available = fund["free_fen"] + fund["earmarked_fen"]
    return {
        **with_yuan(fund),
        "available_fen": available,
        "available_yuan": fen_to_yuan(available),
        "earmarks": [with_yuan(p) for p in money.pools(container.store, fund_id) if p["pool"]],
        "donors_list": [with_yuan(d) for d in money.donors(container.store, fund_id)],
    }


@router.get("/funds", summary="Charity funds and their balances", response_model=FundPage)
def funds(
    request: Request, container: ContainerDep, paging: PagingDep, region: Region = None
) -> dict[str, object]:
    """Funds with free and earmarked balances and their donors."""
    result = money.list_funds(
        container.store, region=region_prefix(region), limit=paging.limit, offset=paging.offset
    )
    return page_of(request, result, [fund_of(container, f) for f in result.items])


@router.get(
    "/funds/{fund_id}",
    summary="One fund: balances, earmarks, donors, donations",
    response_model=FundLedger,
    responses=NOT_FOUND,
)
def fund(fund_id: UUID, container: ContainerDep) -> dict[str, object]:
    """The fund's ledger as derived from its events."""
    found = visible(money.get_fund(container.store, str(fund_id)))
    if found is None:
        raise Problem(404, "Not found", f"no fund {fund_id}")
    return {
        **fund_of(container, found),
        "donations_list": [with_yuan(d) for d in money.donations(container.store, str(fund_id))],
        "allocations": [
            with_yuan(a) for a in money.allocations(container.store, fund_id=str(fund_id))
        ],
    }


def _summary(rows: list[Row], by: str) -> list[Row]:
    totals: dict[str, int] = {}
    for r in rows:
        totals[r[by]] = totals.get(r[by], 0) + r["amount_fen"]
    return [{by: k, "amount_fen": v, "amount_yuan": fen_to_yuan(v)} for k, v in totals.items()]


@router.get(
    "/funds/{fund_id}/trace",
    summary="Where a fund's money went: donor → household → what became of the need",
    response_model=FundTrace,
    responses=NOT_FOUND,
)
def fund_trace(
    fund_id: UUID,
    container: ContainerDep,
    include_cancelled: Annotated[bool, Query(description="Also cancelled allocations")] = False,
) -> dict[str, object]:
    """Every draw on every donation, with the household and need it went to and its outcome."""
    if visible(money.get_fund(container.store, str(fund_id))) is None:
        raise Problem(404, "Not found", f"no fund {fund_id}")
    rows = money.trace(container.store, fund_id=str(fund_id), include_cancelled=include_cancelled)
    return {
        "fund_id": str(fund_id),
        "paths": [with_yuan(r) for r in money.with_outcomes(container.store, rows)],
        "by_household": _summary(rows, "household_id"),
        "by_donor": _summary(rows, "donor"),
    }


@router.get(
    "/households/{household_id}/money",
    summary="A household's money, back to donors",
    response_model=HouseholdMoney,
    responses=NOT_FOUND,
)
def household_money(
    household_id: UUID, request: Request, container: ContainerDep, purpose: Purpose = None
) -> dict[str, object]:
    """Every yuan allocated or paid to the household, with the donation it came from."""
    if visible(get_household(container.store, str(household_id))) is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    record_read(request, household=str(household_id))
    rows = money.trace(container.store, household_id=str(household_id))
    received = sum(r["amount_fen"] for r in rows if r["status"] == "disbursed")
    services = money.household_services(container.store, str(household_id))
    return {
        "household_id": str(household_id),
        "paths": [with_yuan(r) for r in money.with_outcomes(container.store, rows)],
        "by_donor": _summary(rows, "donor"),
        "disbursed_fen": received,
        "disbursed_yuan": fen_to_yuan(received),
        "services": {k: [with_yuan(r) for r in v] for k, v in services.items()},
    }
