"""The pairings list (结对帮扶): a coordinator's pairings and the contacts they owe."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

from projections.pairings.queries import list_pairings
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.casework import PairingPage
from services.api.routers.reading import read_router

router = read_router("pairings")


@router.get(
    "/pairings", summary="Pairings and their contacts, overdue first", response_model=PairingPage
)
def pairings(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Region = None,
    kind: Literal["party_member_child", "social_worker_household", "volunteer_elderly"]
    | None = None,
    status: Literal["active", "ended"] = "active",
    overdue: Annotated[bool, Query(description="Only those owing an overdue contact")] = False,
) -> dict[str, object]:
    """Each pairing with when its next call, visit and deed are due, and which are overdue."""
    result = list_pairings(
        container.store,
        now=container.clock(),
        region=region_prefix(region),
        kind=kind,
        status=status,
        overdue_only=overdue,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page_of(request, result)
