"""Policy finds people: rules, department lists, alerts with their outcomes, what-if, feeds.

Endpoints are plain `def`: FastAPI runs them in its thread pool, off the event loop (a list of
100,000 rows or a what-if over the whole log takes seconds).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.households.identity import check_household_key, household_id
from domain.screening.facts import VARIABLES
from domain.screening.packs import PACKS, pack_rules
from domain.screening.rules import Rule, check_expression, check_rule_id
from domain.shared.errors import InvalidValue
from domain.shared.regions import alliance_of, check_region
from projections.alerts import queries
from projections.alerts.whatif import run_what_if
from services import divisions
from services.access_log.record import Purpose, record_read
from services.api.deps import ContainerDep, PagingDep, page_of
from services.api.models.screening import Alert as AlertModel
from services.api.models.screening import (
    AlertPage,
    Checks,
    EditionList,
    FactModel,
    FeedList,
    HouseholdFacts,
    RuleList,
)
from services.api.problems import problem_response
from services.api.routers.reading import NOT_FOUND, read_router
from services.auth.jurisdiction import scoped_region, visible
from services.auth.principal import Principal, principal_of
from services.auth.publishing import source_for
from services.errors import Problem

router = read_router("screening", prefix="/v1/screening")
MAX_WHAT_IF_DAYS = 366


def _submit(
    container: ContainerDep, event: dict[str, Any], principal: Principal | None = None
) -> JSONResponse:
    if principal is not None:  # a person acts as itself, under its own source
        event = {**event, "source": source_for(principal)}
        event["data"] = {**event["data"], "actor": principal.actor}
    result = container.ingestor.submit(event, principal=principal)
    container.nudge()
    if result.problem is not None:
        return problem_response(result.problem)
    return JSONResponse(result.as_json(), result.status)


@router.get(
    "/facts", summary="The fact model screening rules are written over", response_model=FactModel
)
def facts() -> dict[str, Any]:
    """Every variable a rule may name, with its CEL type and meaning."""
    return {"variables": VARIABLES, "packs": list(PACKS)}


class Draft(BaseModel):
    """A rule to check before adopting it."""

    expression: str


@router.post("/rules/check", summary="Check a draft rule (syntax and fact names)")
def check(draft: Draft) -> dict[str, Any]:
    """200 with the facts it names, or 422 naming the error."""
    program = check_expression(draft.expression)
    return {"valid": True, "names": sorted(set(program.variables()) & set(VARIABLES))}


@router.get(
    "/rules/{region_code}",
    summary="An alliance's rules with every version",
    response_model=RuleList,
)
def rules(region_code: str, container: ContainerDep) -> dict[str, Any]:
    """Rules in force, changed and retired, newest version first, with open alerts per rule."""
    alliance = alliance_of(region_code)
    open_alerts = queries.alerts_by_rule(container.store, alliance=alliance)
    items = queries.list_rules(container.store, alliance=alliance)
    for row in items:
        row["open_alerts"] = open_alerts.get(row["rule_id"], {"households": 0, "people": 0})
    return {"alliance": alliance, "items": items}


@router.get(
    "/alerts", summary="The coordinators' alert queue (oldest first)", response_model=AlertPage
)
def alerts(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Annotated[str | None, Query(description="Jurisdiction prefix")] = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = "open",
    rule_id: str | None = None,
) -> dict[str, Any]:
    """Alerts with their age, rule version, evidence and notes; totals in households and people."""
    region = scoped_region(divisions.check_known_prefix(region, "region") if region else None)
    result, totals = queries.list_alerts(
        container.store,
        now=container.clock(),
        region=region,
        status=status,
        rule_id=rule_id,
        limit=paging.limit,
        offset=paging.offset,
    )
    return {**page_of(request, result), **totals}


@router.get(
    "/alerts/{alert_id}", summary="One alert", response_model=AlertModel, responses=NOT_FOUND
)
def alert(alert_id: UUID, container: ContainerDep) -> dict[str, Any]:
    """The alert with its evidence, notes and outcome."""
    row = visible(queries.get_alert(container.store, str(alert_id)))
    if row is None:
        raise Problem(404, "Not found", f"no alert {alert_id}")
    return row


class OutcomeBody(BaseModel):
    """How a coordinator ended an alert."""

    actor: str
    outcome: str = Field(description="need_raised, dismissed or merged")
    reason: str = ""
    need_id: UUID | None = None
    id: str | None = Field(None, description="CloudEvent id for safe retries")


@router.post(
    "/alerts/{alert_id}/outcome", summary="End an alert with its outcome", responses=NOT_FOUND
)
def record_outcome(
    alert_id: UUID, body: OutcomeBody, container: ContainerDep, request: Request
) -> JSONResponse:
    """Recorded as `cn.zhulian.alert.outcome_recorded.v1` through the ingest path."""
    row = visible(queries.get_alert(container.store, str(alert_id)))
    if row is None:
        raise Problem(404, "Not found", f"no alert {alert_id}")
    data: dict[str, Any] = {
        "actor": body.actor,
        "alert_id": str(alert_id),
        "household": {"household_key": row["household_key"]},
        "rule_id": row["rule_id"],
        "outcome": body.outcome,
        "reason": body.reason,
    }
    if body.need_id is not None:
        data["need_id"] = str(body.need_id)
    return _submit(
        container,
        {
            "specversion": "1.0",
            "id": body.id or f"outcome-{alert_id}",
            "source": f"/screening/{alliance_of(row['region_code'])}",
            "type": "cn.zhulian.alert.outcome_recorded.v1",
            "data": data,
        },
        principal_of(request),
    )


@router.get(
    "/checks/{region_code}",
    summary="Standing checks and other rules: hits per region",
    response_model=Checks,
)
def checks(
    region_code: str,
    container: ContainerDep,
    level: Annotated[int, Query(description="Code length to group by: 6, 9 or 12")] = 9,
) -> dict[str, Any]:
    """Households and people satisfying each rule in force now, per region, with each fix."""
    if level not in (6, 9, 12):
        raise InvalidValue("level", "must be 6 (county), 9 (town) or 12 (village)")
    alliance = alliance_of(region_code)
    in_force = {
        r["rule_id"]: r
        for r in queries.list_rules(container.store, alliance=alliance)
        if r["status"] == "in_force"
    }
    rows = [
        {**c, "name": in_force[c["rule_id"]]["name"], "fix": in_force[c["rule_id"]]["fix"]}
        for c in queries.hit_counts(container.store, alliance=alliance, level=level)
        if c["rule_id"] in in_force and c["region_code"].startswith(region_code[:level])
    ]
    return {"alliance": alliance, "level": level, "items": rows}


@router.get(
    "/households/{household_key}/facts",
    summary="What rules see about a household",
    response_model=HouseholdFacts,
    responses=NOT_FOUND,
)
def household_facts(
    household_key: str, request: Request, container: ContainerDep, purpose: Purpose = None
) -> dict[str, Any]:
    """The household's facts as stored, and as the fact map rules are evaluated over."""
    key = check_household_key(household_key)
    row = visible(queries.household_facts(container.store, str(household_id(key))))
    if row is None:
        raise Problem(404, "Not found", f"no facts about household {key}")
    record_read(request, household=str(household_id(key)))
    return row


@router.get(
    "/lists",
    summary="Department list editions and their comparisons",
    response_model=EditionList,
)
def lists(container: ContainerDep, region: str | None = None) -> dict[str, Any]:
    """Every edition with rows, new, known, changed and gone since the previous edition."""
    alliance = alliance_of(region) if region else None
    return {"items": queries.list_editions(container.store, alliance=alliance)}


@router.get("/feeds", summary="Feed completeness per department list", response_model=FeedList)
def feeds(container: ContainerDep, region: str | None = None) -> dict[str, Any]:
    """Each list's last edition, cadence, whether it fell silent and which editions it skipped."""
    alliance = alliance_of(region) if region else None
    return {"items": queries.feed_report(container.store, now=container.clock(), alliance=alliance)}


class WhatIf(BaseModel):
    """A draft rule or pack judged over history."""

    region: str = Field(description="An alliance (county) code or a narrower prefix")
    rule_id: str = "draft"
    expression: str | None = None
    pack: str | None = None
    at: datetime | None = Field(None, description="One instant (default: now)")
    start: datetime | None = Field(None, alias="from", description="First day of a period")
    end: datetime | None = Field(None, alias="to", description="Last day of a period")


@router.post("/what-if", summary="Judge a draft rule or pack over history (nothing is raised)")
def what_if(body: WhatIf, container: ContainerDep) -> dict[str, Any]:
    """Households and people the draft flags at an instant or each day, against the rule in
    force with the same id; reads the log only, writes nothing."""
    region = check_region(body.region) if len(body.region) in (6, 9, 12) else None
    if region is None:
        raise InvalidValue("region", "must be a 6, 9 or 12-digit division code")
    if body.pack:
        draft = pack_rules(body.pack)
    elif body.expression:
        check_expression(body.expression)
        draft = [Rule(check_rule_id(body.rule_id), 0, body.rule_id, body.expression)]
    else:
        raise InvalidValue("expression", "give an expression or a pack")
    if body.start and body.end:
        days = (body.end.date() - body.start.date()).days + 1
        if not 1 <= days <= MAX_WHAT_IF_DAYS:
            raise InvalidValue("to", f"a period is 1 to {MAX_WHAT_IF_DAYS} days")
        first = datetime.combine(body.start.date(), datetime.max.time(), UTC)
        instants = [first + timedelta(days=i) for i in range(days)]
    else:
        instants = [body.at or container.clock()]
    results = run_what_if(container.app.recorder, container.app.mapper, draft, region, instants)
    return {"region": region, "results": results}
