"""Statistics: person-times and yuan by provider, fund, service type, region, month."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from domain.shared.money import fen_to_yuan
from domain.shared.regions import check_prefix
from projections.supply_stats.queries import Dimension, statistics
from services.api.deps import ContainerDep
from services.errors import Problem

router = APIRouter(prefix="/v1", tags=["statistics"])

Month = Annotated[str | None, Query(pattern="^[0-9]{4}-[0-9]{2}$")]


@router.get("/statistics", summary="Person-times and yuan, summed by one dimension")
def stats(
    container: ContainerDep,
    by: Dimension = "month",
    kind: Annotated[str | None, Query(pattern="^(delivery|disbursement)$")] = None,
    region: Annotated[str | None, Query(description="A division-code prefix")] = None,
    month_from: Month = None,
    month_to: Month = None,
) -> dict[str, Any]:
    """Deliveries (purchased services) and disbursements (charity money) as totals."""
    if month_from and month_to and month_from > month_to:
        raise Problem(422, "Invalid value", "month_from: must not be after month_to")
    rows = statistics(
        container.store,
        by=by,
        kind=kind,
        region=check_prefix(region) if region else None,
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
