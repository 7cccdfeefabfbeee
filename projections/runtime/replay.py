"""Replays into scratch namespaces: rebuild-and-swap for operators, as-of views for auditors."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from projections.runtime.event_time import occurred_at
from projections.runtime.runner import ProgressCallback as Progress
from projections.runtime.runner import Runner
from projections.runtime.store import SqlViewStore
from projections.runtime.tables import Table
from projections.runtime.view import Row, View

TimeAxis = Literal["recorded", "occurred"]


def rebuild_and_swap(runner: Runner, view: View, progress: Progress | None = None) -> int:
    """Replay a view into fresh tables beside the live ones, then swap them in atomically."""
    live = runner.store
    assert isinstance(live, SqlViewStore)
    scratch = live.scratch(f"rebuild_{view.name}")
    try:
        scratch.reset(view)
        follower = Runner(runner.recorder, runner.mapper, scratch, [view], runner.batch_size)
        applied = follower.catch_up(progress)
        live.swap_from(scratch, view, settle=lambda: follower.catch_up(progress))
    finally:
        live.drop_scratch(scratch)
    return applied


def as_of_filter(instant: datetime, axis: TimeAxis) -> Callable[[Any], bool]:
    """Keep the events that had been recorded (or had happened) by the instant."""
    if axis == "recorded":
        return lambda event: bool(event.timestamp <= instant)
    return lambda event: occurred_at(event) <= instant


def scratch_name(instant: datetime, axis: TimeAxis) -> str:
    """A namespace name for one as-of replay, safe as a schema or file suffix."""
    stamp = re.sub(r"[^0-9]", "", instant.isoformat())[:20]
    return f"asof_{axis}_{stamp}"


def build_as_of(
    runner: Runner,
    views: list[View],
    instant: datetime,
    axis: TimeAxis = "recorded",
    tag: str = "",
) -> SqlViewStore:
    """Build the views as they stood at an instant into a scratch store; live views untouched.

    `tag` keeps concurrent replays of the same instant apart.
    """
    live = runner.store
    assert isinstance(live, SqlViewStore)
    scratch = live.scratch(scratch_name(instant, axis) + (f"_{tag}" if tag else ""))
    for view in views:
        scratch.reset(view)
    Runner(
        runner.recorder,
        runner.mapper,
        scratch,
        views,
        runner.batch_size,
        include=as_of_filter(instant, axis),
    ).catch_up()
    return scratch


def _keyed(store: SqlViewStore, table: Table) -> dict[tuple[Any, ...], Row]:
    rows = store.fetch(f"SELECT * FROM {table.name}", {}, table.name)
    return {tuple(r[k] for k in table.key): r for r in rows}


@dataclass
class Difference:
    """How a table changed between two instants, by row key."""

    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)


def compare(before: SqlViewStore, after: SqlViewStore, view: View) -> dict[str, Difference]:
    """Rows added, removed and changed in each table of a view between two stores."""
    result = {}
    for table in view.tables:
        old, new = _keyed(before, table), _keyed(after, table)
        diff = Difference(
            added=[new[k] for k in sorted(new.keys() - old.keys(), key=str)],
            removed=[old[k] for k in sorted(old.keys() - new.keys(), key=str)],
        )
        for key in sorted(old.keys() & new.keys(), key=str):
            fields = {c: [old[key][c], new[key][c]] for c in old[key] if old[key][c] != new[key][c]}
            if fields:
                diff.changed.append({"key": dict(zip(table.key, key, strict=True)), **fields})
        result[table.name] = diff
    return result
