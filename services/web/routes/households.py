"""Household files (一户一档): the list, and one household's whole file on one page."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.alliance_vocabulary.queries import vocabulary_of
from projections.fund_ledger.queries import allocations, list_funds
from projections.household_file.queries import get_household, list_households, timeline
from projections.needs_list.queries import list_needs
from projections.referral_board.queries import list_referrals
from projections.runtime.query import Page
from services.access_log.record import record_read
from services.auth.jurisdiction import visible
from services.errors import Problem
from services.web.render import gettext as _
from services.web.render import label_of, local_time, region_name, render
from services.web.routes.common import (
    ContainerDep,
    Region,
    household_href,
    list_response,
    region_filter,
)
from services.web.table import Column, ListDep, coded, raw

router = APIRouter(include_in_schema=False)


def _assistance(row: dict[str, Any]) -> str:
    return "、".join(label_of("assistance", a) for a in row["assistance"] or []) or "—"


COLUMNS = [
    Column("File", lambda r: r["household_key"], link=household_href),
    Column("Region", lambda r: region_name(r["region_code"]), sort="region"),
    Column("Found by", coded("channel", "first_channel"), sort="channel"),
    Column("Assistance", _assistance),
    Column("Open needs", raw("needs_open"), sort="needs_open", numeric=True),
    Column("Difficulty circle", coded("circle", "difficulty_circle"), sort="circle"),
    Column("Found (Beijing time)", lambda r: local_time(r["discovered_at"]), sort="discovered_at"),
]


@router.get("/ui/households")
def households_page(
    request: Request,
    container: ContainerDep,
    params: ListDep,
    region: Region = None,
    channel: Annotated[str | None, Query(max_length=30)] = None,
) -> Response:
    """Household files of a jurisdiction, most open needs first."""
    prefix = region_filter(region)
    if not params.format:  # an export is kept by the export itself
        record_read(request, listing="households")

    def fetch(limit: int, offset: int) -> Page:
        return list_households(
            container.store,
            region=prefix,
            channel=channel or None,
            sort=params.sort,
            limit=limit,
            offset=offset,
        )

    return list_response(
        request,
        params,
        what="households",
        title=_("Household files"),
        columns=COLUMNS,
        fetch=fetch,
        filters="filters_households.html",
    )


@router.get("/ui/households/{household_id}")
def household_page(request: Request, household_id: UUID, container: ContainerDep) -> Response:
    """One household: facts, members, needs, referrals, money and the whole timeline."""
    found = visible(get_household(container.store, str(household_id)))
    if found is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    hid = str(household_id)
    record_read(request, household=hid)  # the page's `purpose` field, when given, goes too
    adopted = vocabulary_of(container.store, found["region_code"][:6]) or {}
    names = {
        (kind, str(w["code"])): w["name"]
        for kind in ("circle", "group")
        for w in adopted.get(f"{kind}s", [])
    }

    def word(kind: str, code: object) -> str:
        """Our label of an alliance word, else the alliance's own name for it, else the code."""
        shown = label_of(kind, code)
        return names.get((kind, str(code)), shown) if shown == str(code) else shown

    return render(
        request,
        "household.html",
        title=_("Household file %(key)s", key=found["household_key"]),
        household=found,
        word=word,
        needs=list_needs(container.store, household_id=hid, limit=200).items,
        referrals=list_referrals(
            container.store, now=container.clock(), household_id=hid, open_only=False, limit=200
        ).items,
        money=allocations(container.store, household_id=hid),
        fund_names={
            f["fund_id"]: f["name"]
            for f in list_funds(container.store, region=found["region_code"][:6], limit=1000).items
        },
        events=timeline(container.store, hid),
    )
