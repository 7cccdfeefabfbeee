"""The services list (服务清单); its HSDS 3.0 documents are in routers/hsds.py."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from domain.shared.regions import check_prefix, check_region
from domain.shared.taxonomy import Category, NeedType
from domain.supply.vocabulary import ProviderKind
from projections.household_file.queries import get_household
from projections.runtime.query import Page
from projections.services_list.queries import (
    ServiceFilter,
    get_offering,
    list_offerings,
    list_providers,
)
from services.api.deps import ContainerDep
from services.container import Container
from services.errors import Problem

router = APIRouter(prefix="/v1", tags=["services"])

Region = Annotated[str | None, Query(description="A division-code prefix, e.g. 330106")]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def _page(result: Page) -> dict[str, Any]:
    return {
        "items": result.items,
        "total": result.total,
        "limit": result.limit,
        "offset": result.offset,
    }


def period_of(container: Container, period: str | None) -> str:
    """The month capacity is counted in: the given one, or the current month."""
    if period is None:
        return f"{container.clock():%Y-%m}"
    if len(period) != 7 or period[4] != "-" or not (period[:4] + period[5:]).isdigit():
        raise Problem(422, "Invalid value", "period: must be a month, YYYY-MM")
    return period


def household_filter(container: Container, household_id: UUID) -> dict[str, Any]:
    """What the household file says about coverage and eligibility."""
    found = get_household(container.store, str(household_id))
    if found is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    members = found["members"] or []
    groups = {c for m in members for c in m.get("circumstances") or []}
    if found["household_group"]:
        groups.add(found["household_group"])
    return {
        "covers": found["region_code"],
        "statuses": tuple(found["assistance"] or ()),
        "groups": tuple(sorted(groups)),
        "disabled": "disability" in groups,
    }


@router.get("/services", summary="The services list (服务清单)")
def services(
    container: ContainerDep,
    need_type: NeedType | None = None,
    category: Category | None = None,
    region: Region = None,
    covers: Annotated[str | None, Query(description="Only offerings covering this code")] = None,
    household_id: Annotated[
        UUID | None, Query(description="Only offerings covering and admitting this household")
    ] = None,
    assistance: Annotated[list[str] | None, Query(description="Statuses held")] = None,
    age: Annotated[int | None, Query(ge=0, le=150)] = None,
    with_capacity: Annotated[bool, Query(description="Only with capacity left")] = False,
    period: Annotated[str | None, Query(description="Month for capacity, YYYY-MM")] = None,
    status: Annotated[str | None, Query(pattern="^(active|closed)$")] = "active",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Offerings by type, category, coverage, eligibility and remaining capacity."""
    extra = household_filter(container, household_id) if household_id else {}
    if covers:
        extra["covers"] = check_region(covers, "covers")
    if assistance is not None:
        extra["statuses"] = tuple(assistance)
    f = ServiceFilter(
        need_type=need_type and need_type.value,
        category=category and category.value,
        region=check_prefix(region) if region else None,
        age=age,
        status=status,
        with_capacity=with_capacity,
        **extra,
    )
    month = period_of(container, period)
    return {
        **_page(list_offerings(container.store, f, period=month, limit=limit, offset=offset)),
        "period": month,
    }


@router.get("/services/{offering_id}", summary="One offering with its capacity this month")
def service(
    offering_id: UUID, container: ContainerDep, period: str | None = None
) -> dict[str, Any]:
    """One offering of the services list."""
    found = get_offering(container.store, str(offering_id), period_of(container, period))
    if found is None:
        raise Problem(404, "Not found", f"no offering {offering_id}")
    return found


@router.get("/providers", summary="Departments, providers, social organisations, volunteers")
def providers(
    container: ContainerDep,
    region: Region = None,
    kind: ProviderKind | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The forces of the alliance."""
    return _page(
        list_providers(
            container.store,
            region=check_prefix(region) if region else None,
            kind=kind and kind.value,
            limit=limit,
            offset=offset,
        )
    )
