"""Screening pages: the standing checks per region with counts and fixes; feed completeness."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.alerts import queries
from services.web.render import gettext as _
from services.web.render import render
from services.web.routes.alerts import fix_text, rule_title
from services.web.routes.common import ContainerDep
from services.web.routes.screening import County, alliance_of_page, county_choices

router = APIRouter(include_in_schema=False)
Level = Annotated[int, Query(ge=6, le=12)]


@router.get("/ui/screening/checks")
def checks_page(
    request: Request, container: ContainerDep, county: County = None, level: Level = 9
) -> Response:
    """Households and people each rule in force flags now, per town (or village), with its fix."""
    alliance = alliance_of_page(request, container, county)
    level = level if level in (6, 9, 12) else 9
    in_force = {
        r["rule_id"]: r
        for r in queries.list_rules(container.store, alliance=alliance)
        if r["status"] == "in_force"
    }
    counts = [
        c
        for c in queries.hit_counts(container.store, alliance=alliance, level=level)
        if c["rule_id"] in in_force
    ]
    sections = []
    for rule_id, rule in sorted(in_force.items(), key=lambda kv: (kv[1]["pack"] or "~", kv[0])):
        rows = [c for c in counts if c["rule_id"] == rule_id]
        sections.append(
            {
                "rule": rule,
                "title": rule_title(rule_id, rule["name"]),
                "fix": fix_text(rule),
                "rows": rows,
                "households": sum(r["households"] for r in rows),
                "people": sum(r["people"] for r in rows),
            }
        )
    return render(
        request,
        "checks.html",
        title=_("Standing checks per region"),
        alliance=alliance,
        counties=county_choices(container, alliance),
        level=level,
        sections=sections,
    )


@router.get("/ui/screening/feeds")
def feeds_page(request: Request, container: ContainerDep, county: County = None) -> Response:
    """Per department list: cadence, last edition and when, next due, silent, skipped editions."""
    alliance = alliance_of_page(request, container, county)
    report = queries.feed_report(container.store, now=container.clock(), alliance=alliance)
    return render(
        request,
        "feeds.html",
        title=_("Feed completeness"),
        alliance=alliance,
        counties=county_choices(container, alliance),
        feeds=report,
        editions=queries.list_editions(container.store, alliance=alliance),
    )
