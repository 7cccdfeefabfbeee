"""The services list (服务清单): offerings by type, coverage and eligibility; providers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request

from domain.shared.taxonomy import Category, NeedType
from domain.supply.vocabulary import ProviderKind
from projections.services_list.queries import (
    ServiceFilter,
    get_offering,
    get_provider,
    household_region,
    list_offerings,
    list_providers,
)
from services import divisions
from services.api.deps import (
    ContainerDep,
    PagingDep,
    Region,
    page_of,
    period_of,
    region_prefix,
)
from services.api.models.supply import Offering, OfferingPage, Provider, ProviderPage
from services.api.routers.reading import NOT_FOUND, read_router
from services.errors import Problem

router = read_router("services")

Period = Annotated[str | None, Query(description="Month for capacity, YYYY-MM (default: now)")]


@router.get(
    "/services",
    summary="The services list (服务清单)",
    response_model=OfferingPage,
    responses=NOT_FOUND,
)
def services(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    need_type: NeedType | None = None,
    category: Category | None = None,
    region: Region = None,
    covers: Annotated[str | None, Query(description="Only offerings covering this code")] = None,
    household_id: Annotated[
        UUID | None,
        Query(description="Only offerings covering and admitting this household (404: unknown)"),
    ] = None,
    assistance: Annotated[
        list[str] | None, Query(description="Only offerings admitting these statuses")
    ] = None,
    group: Annotated[
        list[str] | None, Query(description="Only offerings admitting these groups")
    ] = None,
    age: Annotated[int | None, Query(ge=0, le=150, description="Admitting this age")] = None,
    with_capacity: Annotated[bool, Query(description="Only with capacity left")] = False,
    period: Period = None,
    status: Annotated[str | None, Query(pattern="^(active|closed)$")] = "active",
) -> dict[str, object]:
    """Offerings by type, category, coverage, eligibility and remaining capacity."""
    code = divisions.check_code(covers, "covers") if covers else None
    if household_id is not None:
        home = household_region(container.store, str(household_id))
        if home is None:
            raise Problem(404, "Not found", f"no household file {household_id}")
        code = code or home
    f = ServiceFilter(
        need_type=need_type and need_type.value,
        category=category and category.value,
        region=region_prefix(region),
        covers=code,
        household_id=str(household_id) if household_id else None,
        statuses=tuple(assistance) if assistance is not None else None,
        groups=tuple(group) if group is not None else None,
        age=age,
        status=status,
        with_capacity=with_capacity,
    )
    month = period_of(container, period)
    result = list_offerings(
        container.store, f, period=month, limit=paging.limit, offset=paging.offset
    )
    return {**page_of(request, result), "period": month}


@router.get(
    "/services/{offering_id}",
    summary="One offering with its capacity in a month",
    response_model=Offering,
    responses=NOT_FOUND,
)
def service(offering_id: UUID, container: ContainerDep, period: Period = None) -> dict[str, object]:
    """One offering of the services list."""
    found = get_offering(container.store, str(offering_id), period_of(container, period))
    if found is None:
        raise Problem(404, "Not found", f"no offering {offering_id}")
    return found


@router.get(
    "/providers",
    summary="Departments, providers, social organisations, volunteers",
    response_model=ProviderPage,
)
def providers(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Region = None,
    kind: ProviderKind | None = None,
) -> dict[str, object]:
    """The forces of the alliance, by kind and name."""
    result = list_providers(
        container.store,
        region=region_prefix(region),
        kind=kind and kind.value,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page_of(request, result)


@router.get(
    "/providers/{provider_id}",
    summary="One provider",
    response_model=Provider,
    responses=NOT_FOUND,
)
def provider(provider_id: UUID, container: ContainerDep) -> dict[str, object]:
    """A department, provider, social organisation, volunteer team or charity."""
    found = get_provider(container.store, str(provider_id))
    if found is None:
        raise Problem(404, "Not found", f"no provider {provider_id}")
    return found
