"""Purchased-service contracts (打包预算、分项实施) and what is left of each item."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request

from projections.supply_stats.queries import contract_items, get_contract, list_contracts
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.money import ContractDetail, ContractPage
from services.api.routers.funds import with_yuan
from services.api.routers.reading import NOT_FOUND, read_router
from services.auth.jurisdiction import visible
from services.errors import Problem

router = read_router("contracts")


@router.get("/contracts", summary="Purchased-service contracts", response_model=ContractPage)
def contracts(
    request: Request, container: ContainerDep, paging: PagingDep, region: Region = None
) -> dict[str, object]:
    """Contracts with budget spent and person-times delivered."""
    result = list_contracts(
        container.store, region=region_prefix(region), limit=paging.limit, offset=paging.offset
    )
    return page_of(request, result, [with_yuan(c) for c in result.items])


@router.get(
    "/contracts/{contract_id}",
    summary="One contract and what is left of each item",
    response_model=ContractDetail,
    responses=NOT_FOUND,
)
def contract(contract_id: UUID, container: ContainerDep) -> dict[str, object]:
    """A contract's items: budget, spent, remaining, person-times used and left."""
    found = visible(get_contract(container.store, str(contract_id)))
    if found is None:
        raise Problem(404, "Not found", f"no contract {contract_id}")
    items = [with_yuan(i) for i in contract_items(container.store, str(contract_id))]
    return {**with_yuan(found), "items": items}
