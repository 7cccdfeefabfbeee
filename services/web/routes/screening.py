"""Screening pages: the rules with every version and their forms, and the what-if form."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.screening.packs import PACKS, pack_rules
from domain.screening.rules import Rule, check_expression, check_rule_id
from domain.shared.errors import DomainError, InvalidValue
from projections.alerts import queries
from projections.alerts.whatif import run_what_if
from services.auth.principal import principal_of
from services.container import Container
from services.web import regions
from services.web.actions import ACTIONS
from services.web.render import LOCAL, render
from services.web.render import gettext as _
from services.web.routes.alerts import rule_title
from services.web.routes.common import ContainerDep

router = APIRouter(include_in_schema=False)
County = Annotated[str | None, Query(pattern="^([0-9]{6})?$")]
MAX_DAYS = 31  # a page's what-if period; the API takes up to 366


def alliance_of_page(request: Request, container: Container, county: str | None) -> str:
    """The alliance a screening page shows: asked for, the caller's, or the first in use."""
    if county:
        return county
    principal = principal_of(request)
    if principal is not None and len(principal.region) >= 6:
        return principal.region[:6]
    counties = [c for c, _n, depth in regions.region_choices(container.store) if depth == 0]
    return counties[0] if counties else "000000"


def county_choices(container: Container, chosen: str) -> list[tuple[str, str]]:
    """(code, name) of the counties households live in, and the chosen one."""
    found = [(c, n) for c, n, depth in regions.region_choices(container.store, chosen) if not depth]
    return found


@router.get("/ui/screening/rules")
def rules_page(request: Request, container: ContainerDep, county: County = None) -> Response:
    """Every rule of the alliance with its versions, open alerts, and the adopt/retire forms."""
    alliance = alliance_of_page(request, container, county)
    rows = queries.list_rules(container.store, alliance=alliance)
    open_alerts = queries.alerts_by_rule(container.store, alliance=alliance)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["rule_id"], []).append(row)
    values = {k: v for k, v in request.query_params.items() if k in {"rule_id", "name"}}
    return render(
        request,
        "rules.html",
        title=_("Screening rules"),
        alliance=alliance,
        counties=county_choices(container, alliance),
        grouped=grouped,
        open_alerts=open_alerts,
        rule_title=rule_title,
        adopt=ACTIONS["adopt-rule"],
        adopt_pack=ACTIONS["adopt-pack"],
        retire=ACTIONS["retire-rule"],
        values=values,
    )


def _instants(at: str, start: str, end: str) -> list[datetime]:
    """The end of each asked Beijing day (or of one day; default today)."""

    def day(text: str, name: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError as error:
            raise InvalidValue(name, _("a date like 2026-10-31")) from error

    if start and end:
        first, last = day(start, "from"), day(end, "to")
        days = (last - first).days + 1
        if not 1 <= days <= MAX_DAYS:
            raise InvalidValue("to", _("a period of 1 to %(n)s days", n=MAX_DAYS))
        dates = [first + timedelta(days=i) for i in range(days)]
    else:
        dates = [day(at, "at") if at else datetime.now(LOCAL).date()]
    return [datetime.combine(d, time.max, LOCAL).astimezone(UTC) for d in dates]


def _judge(container: Container, form: dict[str, str]) -> list[dict[str, Any]]:
    region = form["region"]
    if form.get("pack"):
        draft = pack_rules(form["pack"])
    else:
        check_expression(form.get("expression", ""))
        rule_id = check_rule_id(form.get("rule_id") or "draft")
        draft = [Rule(rule_id, 0, rule_id, form["expression"])]
    instants = _instants(form.get("at", ""), form.get("from", ""), form.get("to", ""))
    return run_what_if(container.app.recorder, container.app.mapper, draft, region, instants)


@router.get("/ui/screening/what-if")
def what_if_page(
    request: Request,
    container: ContainerDep,
    region: Annotated[str | None, Query(pattern="^([0-9]{6}|[0-9]{9}|[0-9]{12})?$")] = None,
    rule_id: Annotated[str, Query(max_length=64)] = "",
    expression: Annotated[str, Query(max_length=4000)] = "",
    pack: Annotated[str, Query(max_length=64)] = "",
    at: Annotated[str, Query(max_length=10)] = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """A draft rule or pack judged over the log: counts, which households, the difference from
    the rule in force. Reads only; a GET form, so a result can be linked and nothing is raised."""
    alliance = alliance_of_page(request, container, (region or "")[:6] or None)
    form = {
        "region": region or alliance,
        "rule_id": rule_id,
        "expression": expression,
        "pack": pack,
        "at": at,
        "from": start,
        "to": end,
    }
    results: list[dict[str, Any]] | None = None
    error: DomainError | None = None
    asked = bool(expression or pack)
    if asked:
        principal = principal_of(request)
        if principal is not None and not principal.covers(form["region"]):
            error = InvalidValue("region", _("outside your region"))
        else:
            try:
                results = _judge(container, form)
            except DomainError as refused:
                error = refused
    return render(
        request,
        "what_if.html",
        status_code=422 if error else 200,
        title=_("What-if: a draft rule over history"),
        form=form,
        results=results,
        error=error,
        packs=[(p, p) for p in PACKS],
        rule_title=rule_title,
        in_force=[
            r
            for r in queries.list_rules(container.store, alliance=alliance)
            if r["status"] == "in_force"
        ],
    )
