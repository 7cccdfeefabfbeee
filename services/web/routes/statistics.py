"""Statistics as charts and tables: person-times and yuan by month, town, fund, service type."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.referral_board.queries import feedback_deadlines, on_time_rates
from projections.supply_stats.queries import Dimension, statistics
from services.web import exports
from services.web.charts import bars, on_time_by_month
from services.web.render import gettext as _
from services.web.render import label_of, region_name, render, yuan, yuan_number
from services.web.routes.common import ContainerDep, Region, region_filter
from services.web.table import Column, raw

router = APIRouter(include_in_schema=False)
DIMENSIONS: tuple[Dimension, ...] = ("month", "town", "fund", "service_type")
Month = Annotated[str | None, Query(pattern="^([0-9]{4}-[0-9]{2})?$")]


def dimension_name(by: str) -> str:
    """A dimension's name in the page's language."""
    return {
        "month": _("Month"),
        "town": _("Town"),
        "fund": _("Fund"),
        "service_type": _("Service type"),
    }[by]


def key_label(by: str, row: dict[str, Any]) -> str:
    """What a statistics row is about, readable."""
    if by == "town":
        return region_name(row["dim_key"])
    if by == "service_type":
        need_type, _sep, category = str(row["dim_key"]).partition("/")
        return f"{label_of('need_type', need_type)}·{label_of('category', category)}"
    return str(row["label"] or row["dim_key"])


COLUMNS = [
    Column("Dimension", lambda r: dimension_name(r["by"])),
    Column("Of", lambda r: key_label(r["by"], r)),
    Column("Records", raw("facts"), numeric=True),
    Column("Person-times", raw("person_times"), numeric=True),
    Column(
        "Amount",
        lambda r: yuan(r["amount_fen"]),
        numeric=True,
        raw=lambda r: yuan_number(r["amount_fen"]),
    ),
]


@router.get("/ui/statistics")
def statistics_page(
    request: Request,
    container: ContainerDep,
    region: Region = None,
    kind: Annotated[str | None, Query(pattern="^(delivery|disbursement)?$")] = None,
    month_from: Month = None,
    month_to: Month = None,
    format: Annotated[str | None, Query(pattern="^(csv|xlsx)$")] = None,
) -> Response:
    """Charts of deliveries and disbursements, and the on-time rate of referral feedback."""
    prefix = region_filter(region)
    tables = {
        by: [
            {**row, "by": by}
            for row in statistics(
                container.store,
                by=by,
                kind=kind or None,
                region=prefix,
                month_from=month_from or None,
                month_to=month_to or None,
            )
        ]
        for by in DIMENSIONS
    }
    if format:
        every = [row for by in DIMENSIONS for row in tables[by]]
        return exports.export(request, "statistics", _("Statistics"), COLUMNS, every)
    charts = []
    for by in DIMENSIONS:
        rows = tables[by]
        charts.append(
            bars(
                _("Yuan by %(dimension)s", dimension=dimension_name(by)),
                [(key_label(by, r), r["amount_fen"], yuan(r["amount_fen"])) for r in rows],
            )
        )
        charts.append(
            bars(
                _("Person-times by %(dimension)s", dimension=dimension_name(by)),
                [(key_label(by, r), r["person_times"], f"{r['person_times']:,}") for r in rows],
            )
        )
    timely = on_time_by_month(feedback_deadlines(container.store, region=prefix), container.clock())
    charts.append(
        bars(
            _("Referral feedback on time (within 24 hours), by month"),
            [
                (m["month"], m["rate"], f"{m['rate']:.0%} ({m['on_time']}/{m['due']})")
                for m in timely
            ],
        )
    )
    by_holder = on_time_rates(container.store, region=prefix)
    charts.append(
        bars(
            _("Answers on time (acceptance and feedback), by department"),
            [
                (
                    label_of("department", d["department"]),
                    float(d["on_time_rate"] or 0),  # type: ignore[arg-type]
                    "—" if d["on_time_rate"] is None else f"{d['on_time_rate']:.0%}",
                )
                for d in by_holder
            ],
        )
    )
    return render(
        request,
        "statistics.html",
        title=_("Statistics"),
        charts=charts,
        tables=tables,
        dimensions=DIMENSIONS,
        dimension_name=dimension_name,
        key_label=key_label,
        timely=timely,
    )
