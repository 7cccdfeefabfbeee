"""Household files (一户一档): the list, one file by id or by key, its timeline."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request

from projections.household_file.queries import (
    find_household_by_key,
    get_household,
    list_households,
    timeline_page,
)
from projections.needs_list.queries import list_needs
from services.access_log.record import Purpose, record_read
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.casework import Household, HouseholdFile, HouseholdPage, TimelinePage
from services.api.routers.reading import NOT_FOUND, read_router
from services.auth.jurisdiction import visible
from services.errors import Problem

router = read_router("households")


@router.get(
    "/households", summary="Household files in a jurisdiction", response_model=HouseholdPage
)
def households(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Region = None,
    purpose: Purpose = None,
) -> dict[str, object]:
    """Household files, most open needs first (each read is kept in the access log)."""
    record_read(request, listing="households")
    result = list_households(
        container.store, region=region_prefix(region), limit=paging.limit, offset=paging.offset
    )
    return page_of(request, result)


@router.get(
    "/households/by-key/{household_key}",
    summary="A household file by its key",
    response_model=Household,
    responses=NOT_FOUND,
)
def household_by_key(
    household_key: str, request: Request, container: ContainerDep, purpose: Purpose = None
) -> dict[str, object]:
    """The file with this pseudonymous household key."""
    found = visible(find_household_by_key(container.store, household_key))
    if found is None:
        raise Problem(404, "Not found", f"no household file with key {household_key}")
    record_read(request, household=str(found["household_id"]))
    return found


@router.get(
    "/households/{household_id}",
    summary="One household file (一户一档)",
    response_model=HouseholdFile,
    responses=NOT_FOUND,
)
def household(
    household_id: UUID, request: Request, container: ContainerDep, purpose: Purpose = None
) -> dict[str, object]:
    """The file, with its needs (the first 500)."""
    found = visible(get_household(container.store, str(household_id)))
    if found is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    record_read(request, household=str(household_id))
    needs_page = list_needs(container.store, household_id=str(household_id), limit=500)
    return {**found, "needs": needs_page.items}


@router.get(
    "/households/{household_id}/timeline",
    summary="Everything that happened to it",
    response_model=TimelinePage,
    responses=NOT_FOUND,
)
def household_timeline(
    household_id: UUID,
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    purpose: Purpose = None,
) -> dict[str, object]:
    """Every event about the household, in log order."""
    if visible(get_household(container.store, str(household_id))) is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    record_read(request, household=str(household_id))
    result = timeline_page(
        container.store, str(household_id), limit=paging.limit, offset=paging.offset
    )
    return {**page_of(request, result), "household_id": str(household_id)}
