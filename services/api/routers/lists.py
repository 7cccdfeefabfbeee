"""The alliance's lists, read from views: needs, referral board, household files."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from domain.needs.model import NeedStatus
from domain.referrals.model import ReferralStatus
from domain.shared.regions import check_prefix
from domain.shared.taxonomy import Category, NeedType, Urgency
from projections.household_file.queries import (
    find_household_by_key,
    get_household,
    list_households,
    timeline,
)
from projections.needs_list.queries import list_needs
from projections.referral_board.queries import list_referrals
from projections.runtime.query import Page
from services.api.deps import ContainerDep
from services.errors import Problem

router = APIRouter(prefix="/v1", tags=["lists"])

Region = Annotated[
    str | None, Query(description="Jurisdiction: a division-code prefix, e.g. 330106 or 330106001")
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def _region(region: str | None) -> str | None:
    return check_prefix(region, "region") if region else None


def _page(result: Page) -> dict[str, Any]:
    return {
        "items": result.items,
        "total": result.total,
        "limit": result.limit,
        "offset": result.offset,
    }


@router.get("/needs", summary="The needs list (需求清单)")
def needs(
    container: ContainerDep,
    region: Region = None,
    need_type: NeedType | None = None,
    category: Category | None = None,
    urgency: Urgency | None = None,
    status: NeedStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Needs in a jurisdiction, most urgent and longest waiting first."""
    return _page(
        list_needs(
            container.store,
            region=_region(region),
            need_type=need_type and need_type.value,
            category=category and category.value,
            urgency=urgency and urgency.value,
            status=status and status.value,
            limit=limit,
            offset=offset,
        )
    )


@router.get("/referrals", summary="The referral board")
def referrals(
    container: ContainerDep,
    region: Region = None,
    holder: Annotated[str | None, Query(description="Department holding the referral")] = None,
    status: ReferralStatus | None = None,
    open_only: Annotated[bool, Query(alias="open")] = True,
    overdue: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Referrals with who holds them and their feedback deadline; overdue first."""
    return _page(
        list_referrals(
            container.store,
            now=container.clock(),
            region=_region(region),
            holder=holder,
            status=status and status.value,
            open_only=open_only,
            overdue_only=overdue,
            limit=limit,
            offset=offset,
        )
    )


@router.get("/households", summary="Household files in a jurisdiction")
def households(
    container: ContainerDep, region: Region = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Household files, most open needs first."""
    return _page(
        list_households(container.store, region=_region(region), limit=limit, offset=offset)
    )


@router.get("/households/by-key/{household_key}", summary="A household file by its key")
def household_by_key(household_key: str, container: ContainerDep) -> dict[str, Any]:
    """The file with this pseudonymous household key."""
    found = find_household_by_key(container.store, household_key)
    if found is None:
        raise Problem(404, "Not found", f"no household file with key {household_key}")
    return found


@router.get("/households/{household_id}", summary="One household file (一户一档)")
def household(household_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """The file, with its open needs."""
    found = get_household(container.store, str(household_id))
    if found is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    needs_page = list_needs(container.store, household_id=str(household_id), limit=500)
    return {**found, "needs": needs_page.items}


@router.get("/households/{household_id}/timeline", summary="Everything that happened to it")
def household_timeline(household_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """Every event about the household, in log order."""
    if get_household(container.store, str(household_id)) is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    return {
        "household_id": str(household_id),
        "events": timeline(container.store, str(household_id)),
    }
