"""The match queue: coordinators' queues, candidates with their reasons, gaps, policy versions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request

from domain.shared.regions import alliance_of
from domain.shared.taxonomy import Category
from projections.match_queue import as_decided as decisions
from projections.match_queue import queries as q
from services import divisions
from services.api.deps import ContainerDep, PagingDep, page_of, region_prefix
from services.api.models.matching import (
    Explanation,
    GapReport,
    NeedCandidates,
    PolicyVersions,
    QueuePage,
)
from services.api.routers.reading import NOT_FOUND, read_router
from services.errors import Problem

router = read_router("matching")

Jurisdiction = Annotated[
    str | None,
    Query(
        description="Coordinator's jurisdiction: a division-code prefix (6, 9 or 12 digits use "
        "an index; needs escalated above it leave its queue)"
    ),
]
ORDER = "gaps first, then priority (urgency, household circle), then longest waiting"


@router.get("/match-queue", summary="A coordinator's match queue", response_model=QueuePage)
def match_queue(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Jurisdiction = None,
    department: Annotated[str | None, Query(description="Department holding the need")] = None,
    category: Category | None = None,
) -> dict[str, object]:
    """Open needs: gaps (no service can take them) first, then priority, then waiting time."""
    result = q.match_queue(
        container.store,
        region=region_prefix(region),
        department=department,
        category=category and category.value,
        limit=paging.limit,
        offset=paging.offset,
    )
    now = container.clock()
    items = [q.with_waiting(r, now) for r in result.items]
    return {**page_of(request, result, items), "order": ORDER}


@router.get(
    "/needs/{need_id}/candidates",
    summary="A need's ranked candidates, with reasons",
    response_model=NeedCandidates,
    responses=NOT_FOUND,
)
def need_candidates(need_id: UUID, container: ContainerDep) -> dict[str, object]:
    """Every candidate judged for the need: the rules that passed and failed, the score's parts."""
    found = q.need_candidates(container.store, str(need_id), container.clock())
    if found is None:
        raise Problem(404, "Not found", f"no need {need_id} in the match view")
    return found


@router.get(
    "/needs/{need_id}/candidates/explain",
    summary="Re-explain a need's candidates; its decisions as made and under today's rules",
    response_model=Explanation,
    responses=NOT_FOUND,
)
def explain(
    need_id: UUID,
    container: ContainerDep,
    policy_version: Annotated[
        int | None,
        Query(ge=0, le=2**31 - 1, description="A version of the alliance's policy; 0: defaults"),
    ] = None,
) -> dict[str, object]:
    """The same facts judged by the rules of another policy version (newest when not given),
    and every accept or reject as it was decided beside today's verdict."""
    now = container.clock()
    found = q.reexplain(container.store, str(need_id), policy_version, now)
    decided = decisions.side_by_side(container.store, str(need_id), now)
    if found is None or decided is None:
        raise Problem(
            404, "Not found", f"no need {need_id}, or no policy version {policy_version} for it"
        )
    return {**found, "decisions": decided}


@router.get(
    "/match-gaps", summary="Gap report: open needs no service can take", response_model=GapReport
)
def gaps(
    container: ContainerDep,
    region: Jurisdiction = None,
    level: Annotated[
        int, Query(description="Group regions by 6 (county), 9 (town) or 12 (village) digits")
    ] = 9,
) -> dict[str, object]:
    """Needs by category and region with no provider: what the alliance should plan to add."""
    if level not in (6, 9, 12):
        raise Problem(422, "Invalid value", "level: must be 6, 9 or 12")
    groups = q.gap_report(container.store, region=region_prefix(region), level=level)
    return {"groups": groups, "needs": sum(g["needs"] for g in groups)}


@router.get(
    "/matching-policies/{region_code}",
    summary="An alliance's matching policy versions",
    response_model=PolicyVersions,
)
def policies(region_code: str, container: ContainerDep) -> dict[str, object]:
    """Every version, newest first, with who changed it, when and why."""
    alliance = alliance_of(divisions.check_code(region_code))
    return {"alliance": alliance, "versions": q.policy_versions(container.store, alliance)}
