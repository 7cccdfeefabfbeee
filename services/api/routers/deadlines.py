"""Deadlines: each holding department's on-time record."""

from __future__ import annotations

from projections.referral_board.queries import on_time_rates
from services.api.deps import ContainerDep, Region, region_prefix
from services.api.models.reports import OnTime
from services.api.routers.reading import read_router

router = read_router("statistics")


@router.get(
    "/statistics/on-time",
    summary="Each holding department's answers on time and late, and its breaches",
    response_model=OnTime,
)
def on_time(container: ContainerDep, region: Region = None) -> dict[str, object]:
    """Acceptances and first feedback given, how many late (judged on recorded time), breaches."""
    rows = on_time_rates(container.store, region=region_prefix(region))
    return {"items": rows, "total": len(rows)}
