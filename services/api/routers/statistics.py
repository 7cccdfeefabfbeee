"""Statistics: person-times and yuan by provider, fund, service type, region, month."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from domain.shared.money import fen_to_yuan
from projections.supply_stats.queries import Dimension, statistics
from services.api.deps import ContainerDep, Region, region_prefix
from services.api.models.reports import Statistics
from services.api.routers.reading import read_router
from services.errors import Problem

router = read_router("statistics")

Month = Annotated[str | None, Query(pattern="^[0-9]{4}-[0-9]{2}$", description="YYYY-MM")]


@router.get(
    "/statistics",
    summary="Person-times and yuan, summed by one dimension",
    response_model=Statistics,
)
def stats(
    container: ContainerDep,
    by: Dimension = "month",
    kind: Annotated[str | None, Query(pattern="^(delivery|disbursement)$")] = None,
    region: Region = None,
    month_from: Month = None,
    month_to: Month = None,
) -> dict[str, object]:
    """Deliveries (purchased services) and disbursements (charity money) as totals."""
    if month_from and month_to and month_from > month_to:
        raise Problem(422, "Invalid value", "month_from: must not be after month_to")
    rows = statistics(
        container.store,
        by=by,
        kind=kind,
        region=region_prefix(region),
        month_from=month_from,
        month_to=month_to,
    )
    for row in rows:
        row["amount_yuan"] = fen_to_yuan(row["amount_fen"])
    total = sum(r["amount_fen"] for r in rows)
    return {
        "by": by,
        "kind": kind,
        "rows": rows,
        "person_times": sum(r["person_times"] for r in rows),
        "amount_fen": total,
        "amount_yuan": fen_to_yuan(total),
    }
