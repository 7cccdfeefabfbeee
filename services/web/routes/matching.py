"""The match queue: open needs with their candidates and every rule's reason; gaps first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.match_queue.queries import candidates, gap_report, match_queue
from projections.runtime.query import Page
from services.web.actions import ACTIONS
from services.web.render import gettext as _
from services.web.render import label_of, local_time, region_name
from services.web.routes.common import (
    ContainerDep,
    Region,
    household_href,
    list_response,
    region_filter,
)
from services.web.table import Column, ListDep, coded

router = APIRouter(include_in_schema=False)


def _best(row: dict[str, Any]) -> str:
    if not row["has_candidate"]:
        return _("No candidate: a gap in the services list")
    return _(
        "%(name)s (score %(score)s), %(n)s candidates",
        name=row["best_name"],
        score=row["best_score"],
        n=row["candidates"],
    )


COLUMNS = [
    Column("Urgency", coded("urgency", "urgency")),
    Column(
        "Need",
        lambda r: (
            " · ".join((label_of("need_type", r["need_type"]), label_of("category", r["category"])))
            + f": {r['description']}"
        ),
    ),
    Column("Queue of", lambda r: region_name(r["owner_code"])),
    Column("Raised (Beijing time)", lambda r: local_time(r["raised_at"])),
    Column("Best candidate", _best),
    Column("Household", lambda r: _("Open file"), link=household_href),
]


@router.get("/ui/match-queue")
def match_queue_page(
    request: Request,
    container: ContainerDep,
    params: ListDep,
    region: Region = None,
    category: Annotated[str | None, Query(max_length=20)] = None,
    gaps: Annotated[str | None, Query(pattern="^(1)?$")] = None,
) -> Response:
    """A coordinator's queue; each need with its candidates, best first, and their reasons."""
    prefix = region_filter(region)

    def fetch(limit: int, offset: int) -> Page:
        return match_queue(
            container.store,
            region=prefix,
            category=category or None,
            gaps_only=bool(gaps),
            limit=limit,
            offset=offset,
        )

    def judged(need_id: str) -> list[Any]:
        return candidates(container.store, need_id)[:4]

    return list_response(
        request,
        params,
        what="match-queue",
        title=_("Match queue"),
        columns=COLUMNS,
        fetch=fetch,
        template="match_queue.html",
        filters="filters_match.html",
        judged=judged,
        gap_rows=gap_report(container.store, region=prefix),
        row_class=lambda r: "" if r["has_candidate"] else "gap",
        actions=ACTIONS,
    )
