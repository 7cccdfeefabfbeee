"""GET /v1/audit/access-log: who read which household's file, when, where and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from projections.runtime.query import Page
from services.access_log.store import Search
from services.api.deps import ContainerDep, PagingDep, page_of
from services.api.models.access_log import AccessPage
from services.api.routers.reading import read_router
from services.errors import Problem

router = read_router("audit", prefix="/v1/audit")


def _instant(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise Problem(
            422,
            "Invalid request",
            f"{field}: needs a UTC offset, e.g. +08:00",
            [{"field": field, "reason": "needs a UTC offset"}],
        )
    return value


@router.get(
    "/access-log",
    summary="The access log: every read of a household file and every export",
    response_model=AccessPage,
)
async def access_log(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    household: Annotated[UUID | None, Query(description="A household's record id")] = None,
    subject: Annotated[str | None, Query(max_length=200, description="Who read")] = None,
    since: Annotated[
        datetime | None, Query(alias="from", description="From this instant (with an offset)")
    ] = None,
    until: Annotated[
        datetime | None, Query(alias="to", description="Before this instant (with an offset)")
    ] = None,
    endpoint: Annotated[
        str | None,
        Query(max_length=200, description="A route, e.g. 'GET /v1/households/{household_id}'"),
    ] = None,
) -> dict[str, Any]:
    """Newest first; kept apart from the alliance's event log (auditors only)."""
    search = Search(
        household=str(household) if household else None,
        subject=subject,
        since=_instant(since, "from"),
        until=_instant(until, "to"),
        endpoint=endpoint,
    )
    rows, total = await run_in_threadpool(
        container.access_log.search, search, paging.limit, paging.offset
    )
    return page_of(request, Page(rows, total, paging.limit, paging.offset))
