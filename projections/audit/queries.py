"""Auditors' reads: any view as it stood at an instant, and what changed between two instants.

Each read replays the log into a scratch namespace beside the live views and drops it after;
the live views are never touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal

from projections.runtime.replay import build_as_of, compare
from projections.runtime.runner import Runner
from projections.runtime.store import SqlViewStore
from projections.runtime.view import View

__all__ = ["MAX_ROWS", "Axis", "View", "view_as_of", "view_changes", "view_named"]

MAX_ROWS = 5000  # per table in one answer
Axis = Literal["recorded", "occurred"]


def view_named(views: Sequence[View], name: str) -> View | None:
    """The view of that name among the live ones, or None."""
    return next((v for v in views if v.name == name), None)


@contextmanager
def _scratch(runner: Runner, view: View, at: datetime, by: Axis) -> Iterator[SqlViewStore]:
    scratch = build_as_of(runner, [view], at, by, tag=uuid.uuid4().hex[:8])
    try:
        yield scratch
    finally:
        live = runner.store
        assert isinstance(live, SqlViewStore)
        live.drop_scratch(scratch)


def _rows(store: SqlViewStore, view: View) -> dict[str, list[dict[str, Any]]]:
    return {
        t.name: store.fetch(f"SELECT * FROM {t.name} LIMIT {MAX_ROWS}", {}, t.name)
        for t in view.tables
    }


def view_as_of(runner: Runner, view: View, at: datetime, by: Axis) -> dict[str, Any]:
    """The view's checksum and rows (up to MAX_ROWS a table) as it stood at `at`."""
    with _scratch(runner, view, at, by) as scratch:
        return {
            "view": view.name,
            "at": at.isoformat(),
            "by": by,
            "checksum": scratch.checksum(view),
            "tables": _rows(scratch, view),
        }


def view_changes(
    runner: Runner, view: View, start: datetime, end: datetime, by: Axis
) -> dict[str, Any]:
    """Rows added, removed and changed (before and after values) per table of the view."""
    with _scratch(runner, view, start, by) as before, _scratch(runner, view, end, by) as after:
        diff = compare(before, after, view)
    return {
        "view": view.name,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by": by,
        "tables": {name: vars(d) for name, d in diff.items()},
    }
