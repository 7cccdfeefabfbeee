"""Reservations a match made, and the outcomes of the help per fund and per provider."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

from projections.fund_ledger import queries as money
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.outcomes import Outcomes, ReservationPage
from services.api.routers.funds import with_yuan
from services.api.routers.reading import read_router

router = read_router("funds")


@router.get(
    "/reservations",
    summary="Capacity and money held by matches, and how each ended",
    response_model=ReservationPage,
)
def reservations(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Region = None,
    state: Annotated[
        Literal["open", "used", "released", "expired"] | None, Query(description="Where it stands")
    ] = None,
    kind: Annotated[Literal["capacity", "money"] | None, Query(description="What it holds")] = None,
    resource_id: Annotated[str | None, Query(description="An offering or a fund")] = None,
) -> dict[str, object]:
    """Newest first: what each match reserved, until when, and its end (used, released, expired)."""
    result = money.list_reservations(
        container.store,
        region=region_prefix(region),
        state=state,
        kind=kind,
        resource_id=resource_id,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page_of(request, result, [with_yuan(dict(r)) for r in result.items])


@router.get(
    "/statistics/outcomes",
    summary="Outcomes per fund or per provider: reach, money, completions, follow-ups",
    response_model=Outcomes,
)
def outcomes(
    container: ContainerDep,
    by: Annotated[Literal["fund", "provider"], Query(description="Per fund or per provider")],
    region: Region = None,
) -> dict[str, object]:
    """Households and needs reached, yuan, deliveries, and needs completed and followed up."""
    prefix = region_prefix(region)
    if by == "fund":
        rows = money.outcomes_by_fund(container.store, region=prefix)
        return {"by": by, "funds": [with_yuan(r) for r in rows]}
    rows = money.outcomes_by_provider(container.store, region=prefix)
    return {"by": by, "providers": [with_yuan(r) for r in rows]}
