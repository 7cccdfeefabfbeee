"""Auditors: any view as it stood at an instant, and what changed between two instants."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from projections.runtime.replay import build_as_of, compare
from projections.runtime.store import SqlViewStore
from projections.runtime.view import View
from services.api.deps import ContainerDep
from services.container import Container
from services.errors import Problem

router = APIRouter(prefix="/v1/audit", tags=["audit"])

Axis = Annotated[
    Literal["recorded", "occurred"],
    Query(description="recorded: what the log held then; occurred: what had happened by then"),
]
MAX_ROWS = 5000


def _view(container: Container, name: str) -> View:
    for view in container.views:
        if view.name == name:
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


@contextmanager
def _as_of(container: Container, view: View, at: datetime, by: str) -> Iterator[SqlViewStore]:
    scratch = build_as_of(container.runner, [view], at, by, tag=uuid.uuid4().hex[:8])  # type: ignore[arg-type]
    try:
        yield scratch
    finally:
        container.store.drop_scratch(scratch)


def _rows(store: SqlViewStore, view: View) -> dict[str, list[dict[str, Any]]]:
    return {
        t.name: store.fetch(f"SELECT * FROM {t.name} LIMIT {MAX_ROWS}", {}, t.name)
        for t in view.tables
    }


@router.get("/views/{view_name}", summary="A view as it stood at an instant")
async def view_as_of(
    view_name: str, at: datetime, container: ContainerDep, by: Axis = "recorded"
) -> dict[str, Any]:
    """Replays the log up to the instant into a scratch namespace; the live view is untouched."""
    view, instant = _view(container, view_name), _instant(at, "at")

    def replay() -> dict[str, Any]:
        with _as_of(container, view, instant, by) as scratch:
            return {
                "view": view.name,
                "at": instant.isoformat(),
                "by": by,
                "checksum": scratch.checksum(view),
                "tables": _rows(scratch, view),
            }

    return await run_in_threadpool(replay)


@router.get("/views/{view_name}/compare", summary="What changed in a view between two instants")
async def view_compare(
    view_name: str,
    container: ContainerDep,
    since: Annotated[datetime, Query(alias="from")],
    until: Annotated[datetime, Query(alias="to")],
    by: Axis = "recorded",
) -> dict[str, Any]:
    """Rows added, removed and changed (with before and after values) per table."""
    view = _view(container, view_name)
    start, end = _instant(since, "from"), _instant(until, "to")

    def replay() -> dict[str, Any]:
        with (
            _as_of(container, view, start, by) as before,
            _as_of(container, view, end, by) as after,
        ):
            diff = compare(before, after, view)
        return {
            "view": view.name,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "by": by,
            "tables": {name: vars(d) for name, d in diff.items()},
        }

    return await run_in_threadpool(replay)
