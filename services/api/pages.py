"""Plain server-rendered pages: the landing page and readable views of the lists."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from domain.shared.money import fen_to_yuan
from projections.fund_ledger.queries import list_funds
from projections.household_file.queries import get_household, list_households, timeline
from projections.match_queue.queries import candidates, gap_report, match_queue
from projections.needs_list.queries import list_needs
from projections.referral_board.queries import list_referrals
from projections.services_list.queries import ServiceFilter, list_offerings, list_providers
from projections.supply_stats.queries import list_contracts
from services.api.deps import ContainerDep
from services.errors import Problem

router = APIRouter(include_in_schema=False)

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2733;padding:0 1rem}h1{margin-bottom:.2rem}nav a{margin-right:1rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border-bottom:1px solid #dde3ea;
padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f3f6f9}
.overdue{color:#b3261e;font-weight:600}.muted{color:#5f6b7a}code{background:#f3f6f9;padding:0 .2rem}
.gap{background:#fdf0ef}
"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f" · zhulian</title><style>{_STYLE}</style></head><body><nav><a href='/'>zhulian 助联</a>"
        "<a href='/ui/needs'>Needs list</a><a href='/ui/match-queue'>Match queue</a>"
        "<a href='/ui/referrals'>Referral board</a>"
        "<a href='/ui/households'>Household files</a><a href='/ui/services'>Services list</a>"
        "<a href='/ui/resources'>Resource list</a><a href='/docs'>API docs</a></nav>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], row_class: str = "") -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in columns)
    body = ""
    for row in rows:
        css = f" class='{row_class}'" if row_class and row.get(row_class) else ""
        cells = "".join(
            f"<td>{row.get('_' + key) or escape(str(row.get(key) or ''))}</td>"
            for key, _ in columns
        )
        body += f"<tr{css}>{cells}</tr>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_TIMES = ("feedback_due_at", "requested_at", "raised_at", "occurred_at", "discovered_at")
_LOCAL = ZoneInfo("Asia/Shanghai")  # the alliances' wall clock


def _local_times(row: dict[str, Any]) -> None:
    for key in _TIMES:
        if row.get(key):
            local = datetime.fromisoformat(row[key]).astimezone(_LOCAL)
            row["_" + key] = local.strftime("%Y-%m-%d %H:%M")


def _household_link(row: dict[str, Any]) -> None:
    _local_times(row)
    hid = escape(str(row["household_id"]))
    row["_household_id"] = f"<a href='/ui/households/{hid}'>{hid[:8]}…</a>"


@router.get("/", response_class=HTMLResponse)
def landing(container: ContainerDep) -> HTMLResponse:
    """What zhulian is, and where to go."""
    head = container.runner.head()
    return _page(
        "zhulian — the assistance alliance's shared lists",
        "<p>zhulian (助联) is the event-sourced referral and resource-matching service of a "
        "district's social-assistance alliance (助联体). Departments, providers and charities "
        "publish what they learn as CloudEvents; every fact is kept in the event log, and the "
        "alliance's shared views are built from it.</p><ul>"
        "<li><a href='/ui/needs'>Needs list (需求清单)</a> — every open need, typed, located</li>"
        "<li><a href='/ui/match-queue'>Match queue</a> — candidates for each open need, with "
        "reasons; gaps first</li>"
        "<li><a href='/ui/referrals'>Referral board</a> — who holds each referral, overdue first"
        "</li><li><a href='/ui/households'>Household files (一户一档)</a> and their timelines</li>"
        "<li><a href='/ui/services'>Services list (服务清单)</a> — offerings, coverage, capacity"
        "</li><li><a href='/ui/resources'>Resource list (资源清单)</a> — forces and money</li>"
        "<li><a href='/docs'>API documentation</a> · <a href='/v1/event-types'>event catalogue"
        "</a> · <a href='/v1/health'>health</a></li></ul>"
        f"<p class='muted'>Profile: {escape(container.settings.profile)} · events in the log: "
        f"{head}</p>",
    )


@router.get("/ui/needs", response_class=HTMLResponse)
def needs_page(container: ContainerDep, region: str | None = None) -> HTMLResponse:
    """The needs list as a table."""
    result = list_needs(container.store, region=region, limit=200)
    for row in result.items:
        _household_link(row)
    columns = [
        ("urgency", "Urgency"),
        ("need_type", "Type"),
        ("category", "Category"),
        ("description", "Need"),
        ("region_code", "Region"),
        ("status", "Status"),
        ("holder", "Held by"),
        ("household_id", "Household"),
    ]
    return _page("Needs list", f"<p>{result.total} needs</p>" + _table(result.items, columns))


@router.get("/ui/referrals", response_class=HTMLResponse)
def referrals_page(container: ContainerDep, region: str | None = None) -> HTMLResponse:
    """The referral board as a table, overdue rows marked."""
    result = list_referrals(container.store, now=container.clock(), region=region, limit=200)
    for row in result.items:
        _household_link(row)
        row["_overdue"] = "OVERDUE" if row["overdue"] else ""
    columns = [
        ("overdue", ""),
        ("holder", "Held by"),
        ("status", "Status"),
        ("category", "Category"),
        ("feedback_due_at", "Feedback due (Beijing)"),
        ("requested_at", "Requested"),
        ("last_note", "Latest"),
        ("household_id", "Household"),
    ]
    return _page(
        "Referral board",
        f"<p>{result.total} open referrals</p>"
        + _table(result.items, columns, row_class="overdue"),
    )


@router.get("/ui/households", response_class=HTMLResponse)
def households_page(container: ContainerDep, region: str | None = None) -> HTMLResponse:
    """Household files as a table."""
    result = list_households(container.store, region=region, limit=200)
    for row in result.items:
        _household_link(row)
        row["assistance"] = ", ".join(row["assistance"] or [])
    columns = [
        ("household_id", "File"),
        ("region_code", "Region"),
        ("first_channel", "Found by"),
        ("assistance", "Assistance"),
        ("needs_open", "Open needs"),
        ("difficulty_circle", "Circle"),
    ]
    return _page("Household files", f"<p>{result.total} files</p>" + _table(result.items, columns))


@router.get("/ui/households/{household_id}", response_class=HTMLResponse)
def household_page(household_id: UUID, container: ContainerDep) -> HTMLResponse:
    """One household file and its timeline."""
    found = get_household(container.store, str(household_id))
    if found is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    members = "".join(
        f"<li>{escape(m['relation'])}, born {m.get('birth_year') or '?'}: "
        f"{escape(', '.join(m.get('circumstances') or []) or '—')}</li>"
        for m in found["members"]
    )
    events = timeline(container.store, str(household_id))
    for event in events:
        _local_times(event)
    facts = (
        f"<p>Key <code>{escape(found['household_key'])}</code> · region "
        f"{escape(found['region_code'])} · assistance: "
        f"{escape(', '.join(found['assistance']) or 'none')} · circle "
        f"{found['difficulty_circle'] or '—'} · plan: {escape(found['plan'] or '—')}</p>"
        f"<h2>Members</h2><ul>{members}</ul><h2>Timeline</h2>"
    )
    columns = [("occurred_at", "When (Beijing time)"), ("summary", "What"), ("by_whom", "Who")]
    return _page("Household file", facts + _table(events, columns))


@router.get("/ui/services", response_class=HTMLResponse)
def services_page(container: ContainerDep, region: str | None = None) -> HTMLResponse:
    """The services list as a table, with this month's capacity."""
    period = f"{container.clock():%Y-%m}"
    result = list_offerings(container.store, ServiceFilter(region=region), period=period, limit=500)
    for row in result.items:
        row["areas"] = ", ".join(row["areas"])
        row["eligibility"] = row["eligibility"]["description"]
        row["cost"] = fen_to_yuan(row["cost_fen"])
        row["capacity"] = (
            "—" if row["capacity"] is None else f"{row['remaining']} / {row['capacity']}"
        )
    columns = [
        ("name", "Offering"),
        ("provider_name", "Provider"),
        ("need_type", "Type"),
        ("category", "Category"),
        ("areas", "Covers"),
        ("capacity", f"Left / capacity ({period})"),
        ("eligibility", "Who for"),
        ("cost", "Cost per unit (yuan)"),
    ]
    body = f"<p>{result.total} offerings · <a href='/v1/hsds/services'>HSDS 3.0 JSON</a></p>"
    return _page("Services list", body + _table(result.items, columns))


@router.get("/ui/resources", response_class=HTMLResponse)
def resources_page(container: ContainerDep, region: str | None = None) -> HTMLResponse:
    """Forces and money: providers by kind, funds with balances, contracts."""
    forces = list_providers(container.store, region=region, limit=500).items
    funds = list_funds(container.store, region=region).items
    for f in funds:
        f.update(
            {k: fen_to_yuan(f[k + "_fen"]) for k in ("received", "free", "earmarked", "disbursed")}
        )
    contracts = list_contracts(container.store, region=region).items
    for c in contracts:
        c.update(budget=fen_to_yuan(c["budget_fen"]), spent=fen_to_yuan(c["spent_fen"]))
    body = (
        "<h2>Forces</h2>"
        + _table(
            forces,
            [
                ("name", "Name"),
                ("kind", "Kind"),
                ("region_code", "Region"),
                ("offerings_open", "Open offerings"),
            ],
        )
        + "<h2>Charity funds (yuan)</h2>"
        + _table(
            funds,
            [
                ("name", "Fund"),
                ("received", "Received"),
                ("free", "Free"),
                ("earmarked", "Earmarked"),
                ("disbursed", "Disbursed"),
                ("donors", "Donors"),
            ],
        )
        + "<h2>Purchased-service contracts (yuan)</h2>"
        + _table(
            contracts,
            [
                ("title", "Contract"),
                ("budget", "Budget"),
                ("spent", "Spent"),
                ("person_times", "Person-times"),
            ],
        )
    )
    return _page("Resource list", body)


def _reasons(candidate: dict[str, Any]) -> str:
    checks = "".join(
        f"<li class='{'muted' if c['passed'] else 'overdue'}'>{'✓' if c['passed'] else '✗'} "
        f"<b>{escape(c['rule'])}</b>: {escape(c['reason'])}</li>"
        for c in candidate["checks"]
    )
    parts = ", ".join(f"{escape(k)} {v}" for k, v in candidate["parts"].items())
    verdict = (
        f"rejected: {escape(candidate['rejected_reason'] or '')}"
        if candidate["rejected"]
        else "candidate"
        if candidate["eligible"]
        else "not eligible"
    )
    return (
        f"<b>{escape(candidate['name'])}</b> ({escape(candidate['kind'])}) — {verdict}, score "
        f"<b>{candidate['score']}</b> <span class='muted'>[{parts}; policy "
        f"v{candidate['policy_version']}; id <code>{escape(candidate['candidate_id'])}</code>]"
        f"</span><ul>{checks}</ul>"
    )


@router.get("/ui/match-queue", response_class=HTMLResponse)
def match_queue_page(
    container: ContainerDep, region: str | None = None, department: str | None = None
) -> HTMLResponse:
    """A coordinator's queue: gaps first, each need with its candidates and their reasons."""
    result = match_queue(container.store, region=region, department=department, limit=50)
    rows = []
    for need in result.items:
        _household_link(need)
        judged = candidates(container.store, need["need_id"])
        need["_candidates"] = (
            "".join(f"<div>{_reasons(c)}</div>" for c in judged[:4])
            or "<span class='overdue'>no candidate: a gap in the services list</span>"
        )
        need["gap"] = "GAP" if not need["has_candidate"] else ""
        need["need"] = f"{need['urgency']} {need['need_type']}/{need['category']}: " + str(
            need["description"]
        )
        rows.append(need)
    columns = [
        ("gap", ""),
        ("need", "Need"),
        ("owner_code", "Queue of"),
        ("raised_at", "Raised (Beijing)"),
        ("household_id", "Household"),
        ("candidates", "Candidates, best first, with the rules' reasons"),
    ]
    gaps = gap_report(container.store, region=region)
    gap_rows = [{**g, "need_types": ", ".join(g["need_types"])} for g in gaps]
    body = (
        f"<p>{result.total} open needs · actions: POST <code>cn.zhulian.match.*</code> events "
        "to <a href='/v1/event-types'>/v1/events</a> · <a href='/v1/match-gaps'>gap report "
        "JSON</a></p>"
        + _table(rows, columns, row_class="gap")
        + "<h2>Gaps: needs no service can take, by category and town</h2>"
        + _table(
            gap_rows,
            [
                ("category", "Category"),
                ("region", "Town"),
                ("needs", "Needs"),
                ("need_types", "Types"),
                ("critical", "Critical"),
            ],
        )
    )
    return _page("Match queue", body)
