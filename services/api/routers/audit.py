"""Auditors: any view as it stood at an instant, and what changed between two instants."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from projections.audit.queries import Axis, View, view_as_of, view_changes, view_named
from services.access_log.record import Purpose, record_read_async
from services.api.deps import ContainerDep
from services.api.models.reports import AsOf, Comparison
from services.api.routers.reading import NOT_FOUND, read_router
from services.container import Container
from services.errors import Problem

router = read_router("audit", prefix="/v1/audit")

By = Annotated[
    Axis,
    Query(description="recorded: what the log held then; occurred: what had happened by then"),
]


def _view(container: Container, name: str) -> View:
    view = view_named(container.views, name)
    if view is not None:
        return view
    known = ", ".join(v.name for v in container.views)
    raise Problem(404, "Not found", f"no view {name!r}; the views are: {known}")


def _instant(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise Problem(
            422,
            "Invalid request",
            f"{field}: needs a UTC offset, e.g. +08:00",
            [{"field": field, "reason": "needs a UTC offset"}],
        )
    return value


@router.get(
    "/views/{view_name}",
    summary="A view as it stood at an instant",
    response_model=AsOf,
    responses=NOT_FOUND,
)
async def as_of(
    view_name: str,
    at: Annotated[datetime, Query(description="The instant, with a UTC offset")],
    container: ContainerDep,
    request: Request,
    by: By = "recorded",
    purpose: Purpose = None,
) -> dict[str, Any]:
    """Replays the log up to the instant into a scratch namespace; the live view is untouched."""
    view, instant = _view(container, view_name), _instant(at, "at")
    await record_read_async(request, listing=view.name)  # a replay of history: kept
    return await run_in_threadpool(view_as_of, container.runner, view, instant, by)


@router.get(
    "/views/{view_name}/compare",
    summary="What changed in a view between two instants",
    response_model=Comparison,
    responses=NOT_FOUND,
)
async def compare(
    view_name: str,
    container: ContainerDep,
    since: Annotated[datetime, Query(alias="from", description="The earlier instant")],
    until: Annotated[datetime, Query(alias="to", description="The later instant")],
    request: Request,
    by: By = "recorded",
    purpose: Purpose = None,
) -> dict[str, Any]:
    """Rows added, removed and changed (with before and after values) per table."""
    view = _view(container, view_name)
    start, end = _instant(since, "from"), _instant(until, "to")
    await record_read_async(request, listing=view.name)
    return await run_in_threadpool(view_changes, container.runner, view, start, end, by)
