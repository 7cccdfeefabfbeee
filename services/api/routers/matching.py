"""The match queue: coordinators' queues, candidates with their reasons, gaps, policy versions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from domain.matching.rules import priority_parts
from domain.shared.regions import alliance_of, check_prefix, check_region
from domain.shared.taxonomy import Category
from projections.match_queue import queries as q
from projections.match_queue.explain import reexplain
from projections.match_queue.judging import need_facts, when
from projections.runtime.view import Row
from services.api.deps import ContainerDep
from services.errors import Problem

router = APIRouter(prefix="/v1", tags=["matching"])

Region = Annotated[
    str | None,
    Query(
        description="Coordinator's jurisdiction: a division-code prefix (6, 9 or 12 digits use "
        "an index; needs escalated above it leave its queue)"
    ),
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def _waiting(row: Row, now: datetime) -> Row:
    row["waiting_days"] = round(max((now - when(row["raised_at"])).total_seconds(), 0) / 86400, 1)
    return row


@router.get("/match-queue", summary="A coordinator's match queue")
def match_queue(
    container: ContainerDep,
    region: Region = None,
    department: Annotated[str | None, Query(description="Department holding the need")] = None,
    category: Category | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Open needs: gaps (no service can take them) first, then priority, then waiting time."""
    result = q.match_queue(
        container.store,
        region=check_prefix(region) if region else None,
        department=department,
        category=category and category.value,
        limit=limit,
        offset=offset,
    )
    now = container.clock()
    return {
        "items": [_waiting(r, now) for r in result.items],
        "total": result.total,
        "limit": result.limit,
        "offset": result.offset,
        "order": "gaps first, then priority (urgency, household circle), then longest waiting",
    }


@router.get("/needs/{need_id}/candidates", summary="A need's ranked candidates, with reasons")
def need_candidates(need_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """Every candidate judged for the need: the rules that passed and failed, the score's parts."""
    need = q.need_row(container.store, str(need_id))
    if need is None:
        raise Problem(404, "Not found", f"no need {need_id} in the match view")
    now = container.clock()
    return {
        "need": need,
        "queue": q.queue_row(container.store, str(need_id)),
        "priority_parts": priority_parts(need_facts(need), now),
        "candidates": q.candidates(container.store, str(need_id)),
    }


@router.get(
    "/needs/{need_id}/candidates/explain",
    summary="Re-explain a need's candidates under a policy version",
)
def explain(
    need_id: UUID,
    container: ContainerDep,
    policy_version: Annotated[
        int | None, Query(ge=0, description="A version of the alliance's policy; 0: defaults")
    ] = None,
) -> dict[str, Any]:
    """The same facts judged by the rules of another policy version (newest when not given)."""
    found = reexplain(container.store, str(need_id), policy_version, container.clock())
    if found is None:
        raise Problem(
            404, "Not found", f"no need {need_id}, or no policy version {policy_version} for it"
        )
    return found


@router.get("/match-gaps", summary="Gap report: open needs no service can take")
def gaps(
    container: ContainerDep,
    region: Region = None,
    level: Annotated[
        int, Query(description="Group regions by 6 (county), 9 (town) or 12 (village) digits")
    ] = 9,
) -> dict[str, Any]:
    """Needs by category and region with no provider: what the alliance should plan to add."""
    if level not in (6, 9, 12):
        raise Problem(422, "Invalid value", "level: must be 6, 9 or 12")
    groups = q.gap_report(
        container.store, region=check_prefix(region) if region else None, level=level
    )
    return {"groups": groups, "needs": sum(g["needs"] for g in groups)}


@router.get("/matching-policies/{region_code}", summary="An alliance's matching policy versions")
def policies(region_code: str, container: ContainerDep) -> dict[str, Any]:
    """Every version, newest first, with who changed it, when and why."""
    alliance = alliance_of(check_region(region_code))
    return {"alliance": alliance, "versions": q.policy_versions(container.store, alliance)}
