"""The needs list (需求清单) and one need by id."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request

from domain.needs.model import NeedStatus
from domain.shared.taxonomy import Category, NeedType, Urgency
from projections.needs_list.queries import get_need, list_needs
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.casework import Need, NeedPage
from services.api.routers.reading import NOT_FOUND, read_router
from services.auth.jurisdiction import visible
from services.errors import Problem

router = read_router("needs")


@router.get("/needs", summary="The needs list (需求清单)", response_model=NeedPage)
def needs(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Region = None,
    need_type: NeedType | None = None,
    category: Category | None = None,
    urgency: Urgency | None = None,
    status: NeedStatus | None = None,
) -> dict[str, object]:
    """Needs in a jurisdiction, most urgent and longest waiting first."""
    result = list_needs(
        container.store,
        region=region_prefix(region),
        need_type=need_type and need_type.value,
        category=category and category.value,
        urgency=urgency and urgency.value,
        status=status and status.value,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page_of(request, result)


@router.get("/needs/{need_id}", summary="One need", response_model=Need, responses=NOT_FOUND)
def need(need_id: UUID, container: ContainerDep) -> dict[str, object]:
    """The need as the needs list shows it: type, urgency, status, who holds it."""
    found = visible(get_need(container.store, str(need_id)))
    if found is None:
        raise Problem(404, "Not found", f"no need {need_id}")
    return found
