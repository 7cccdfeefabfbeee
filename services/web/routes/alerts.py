"""The alerts queue of a jurisdiction: oldest first, aging, each with its outcome form."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.alerts.queries import alert_rules, list_alerts
from projections.runtime.query import Page
from services.auth.principal import principal_of
from services.web.actions import ACTIONS
from services.web.records import open_need_choices
from services.web.render import N_, label_of, local_time, region_name
from services.web.render import gettext as _
from services.web.routes.common import (
    ContainerDep,
    Region,
    household_href,
    list_response,
    region_filter,
)
from services.web.table import Column, ListDep, coded, raw

router = APIRouter(include_in_schema=False)


def rule_title(rule_id: str, name: str | None) -> str:
    """A rule's name in the page's language: the shipped checks have labels, others their name."""
    label = label_of("screening_rule", rule_id)
    return label if label != rule_id else (name or rule_id)


def fix_text(row: dict[str, Any]) -> str:
    """The fix a rule calls for, in the page's language when it is a shipped check."""
    label = label_of("screening_fix", row["rule_id"])
    return label if label != row["rule_id"] else (row.get("fix") or "—")


_LISTED = {"circumstances": "circumstance", "statuses": "assistance"}
_NOTES = {
    "no longer satisfies": N_("No longer satisfies the rule (the alert stays open)"),
    "satisfies the rule again": N_("Satisfies the rule again"),
}


def fact_value(name: str, value: Any) -> str:
    """A fact of the evidence as words: codes labelled, structures as compact JSON."""
    if name in _LISTED and isinstance(value, list):
        return "、".join(label_of(_LISTED[name], v) for v in value) or "—"
    if name == "monitoring_risk":
        return label_of("risk", value)
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)


def note_text(note: str) -> str:
    """A note the view wrote on an alert, in the page's language."""
    return _(_NOTES[note]) if note in _NOTES else note


COLUMNS = [
    Column("Rule", lambda r: rule_title(r["rule_id"], r["rule_name"]), raw=raw("rule_id")),
    Column("Version", lambda r: r["rule_version"], numeric=True),
    Column("Region", lambda r: region_name(r["region_code"])),
    Column("People", lambda r: r["people"], numeric=True),
    Column("Raised (Beijing time)", lambda r: local_time(r["raised_at"])),
    Column("Age (days)", lambda r: f"{r['age_days']:.1f}", numeric=True, raw=raw("age_days")),
    Column("Status", coded("alert_status", "status")),
    Column("Outcome", coded("alert_outcome", "outcome")),
    Column("The fix it calls for", fix_text),
    Column("Household", lambda r: _("Open file"), link=household_href, raw=raw("household_key")),
]

Status = Annotated[str | None, Query(pattern="^(open|closed|all)?$")]


@router.get("/ui/alerts")
def alerts_page(
    request: Request,
    container: ContainerDep,
    params: ListDep,
    region: Region = None,
    status: Status = None,
    rule_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Open alerts of the caller's jurisdiction by default, oldest first, with totals in
    households and people."""
    prefix = region_filter(region)
    principal = principal_of(request)
    if principal is not None and principal.region and not principal.covers(prefix):
        prefix = principal.region  # a coordinator's queue is their own region's
    now = container.clock()
    chosen = None if status == "all" else (status or "open")
    totals: dict[str, int] = {}

    def fetch(limit: int, offset: int) -> Page:
        result, found = list_alerts(
            container.store,
            now=now,
            region=prefix,
            status=chosen,
            rule_id=rule_id or None,
            limit=limit,
            offset=offset,
        )
        totals.update(found)
        return result

    return list_response(
        request,
        params,
        what="alerts",
        title=_("Screening alerts"),
        columns=COLUMNS,
        fetch=fetch,
        template="alerts.html",
        totals=totals,
        rules=[
            (r["rule_id"], rule_title(r["rule_id"], r["rule_name"]))
            for r in alert_rules(container.store, region=prefix)
        ],
        outcome=ACTIONS["alert-outcome"],
        rule_title=rule_title,
        fix_of=fix_text,
        fact_value=fact_value,
        note_text=note_text,
        needs_of=lambda household_id: open_need_choices(container.store, household_id),
        row_class=lambda r: "",
    )
