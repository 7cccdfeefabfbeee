"""Deadlines: the alliance's policy in force and each department's on-time rate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from domain.shared.regions import check_prefix
from projections.referral_board.queries import on_time_rates
from services.api.deps import ContainerDep

router = APIRouter(prefix="/v1", tags=["deadlines"])


@router.get("/statistics/on-time", summary="Each holding department's answers on time and late")
def on_time(
    container: ContainerDep,
    region: Annotated[str | None, Query(description="A division-code prefix")] = None,
) -> dict[str, Any]:
    """Acceptances and first feedback given, how many late (judged on recorded time), breaches."""
    rows = on_time_rates(container.store, region=check_prefix(region) if region else None)
    return {"items": rows, "total": len(rows)}


@router.get("/deadline-policies/{region}", summary="The deadline policy in force for a region")
def deadline_policy(
    region: Annotated[str, Path(pattern="^([0-9]{6}|[0-9]{9}|[0-9]{12})$")],
    container: ContainerDep,
) -> dict[str, Any]:
    """Hours per step and the escalation ladder (version 0: the built-in 24-hour default)."""
    policy = container.app.deadline_policy(region)
    return {"region": region[:6], "version": policy.version, **policy.as_record()}
