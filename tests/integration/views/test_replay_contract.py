"""Rebuild-and-swap and as-of replays, on SQLite and on real PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.shared.taxonomy import Category, NeedType, Urgency
from projections.needs_list.queries import list_needs
from projections.needs_list.view import NeedsList
from projections.runtime.replay import build_as_of, compare, rebuild_and_swap
from projections.runtime.runner import Runner
from services.container import all_views
from tests.builders import NOW, VILLAGE

pytestmark = pytest.mark.integration
KEY = pseudonymise("330106198001010011", "s")


def district(at: datetime = NOW) -> Alliance:
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.report_discovery(
        household_key=KEY,
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="gw",
        at=at,
        members=[Member("head", 1950, ())],
    )
    return app


def raise_need(app: Alliance, at: datetime, description: str = "care"):
    return app.raise_need(
        household_key=KEY,
        need_type=NeedType.CARE,
        category=Category.CARE,
        urgency=Urgency.HIGH,
        description=description,
        raised_by="ca",
        at=at,
    )


def test_a_rebuild_swapped_in_equals_the_live_views(view_store) -> None:
    app = district()
    for n in range(5):
        raise_need(app, NOW, f"need {n}")
    runner = Runner(app.recorder, app.mapper, view_store, all_views(), batch_size=3)
    runner.catch_up()
    live = {v.name: view_store.checksum(v) for v in runner.views}
    seen = []
    for view in runner.views:
        rebuild_and_swap(runner, view, progress=lambda name, n, done: seen.append((n, done)))
    assert {v.name: view_store.checksum(v) for v in runner.views} == live
    assert sum(n for n, _ in seen) > 0 and seen[-1][1] == 1.0
    assert view_store.position(runner.views[0]) == app.recorder.max_notification_id()


def test_events_recorded_after_a_swap_started_are_in_the_swapped_view(view_store) -> None:
    app = district()
    raise_need(app, NOW)
    runner = Runner(app.recorder, app.mapper, view_store, [NeedsList()])
    runner.catch_up()
    store = view_store

    original = store.swap_from

    def swap_with_a_late_write(scratch, view, settle):
        raise_need(app, NOW, "arrived during the rebuild")
        original(scratch, view, settle)

    store.swap_from = swap_with_a_late_write
    rebuild_and_swap(runner, runner.views[0])
    assert list_needs(store).total == 2


def test_the_needs_list_as_it_stood_by_recording_time(view_store) -> None:
    app = district()
    first = raise_need(app, NOW, "before")
    time.sleep(0.01)
    instant = datetime.now(UTC)
    time.sleep(0.01)
    raise_need(app, NOW, "after")
    app.close_need(need_id=first.aggregate_id, by="ca", reason="moved away", at=NOW)
    runner = Runner(app.recorder, app.mapper, view_store, all_views())
    runner.catch_up()
    past = build_as_of(runner, [NeedsList()], instant, "recorded")
    try:
        then = list_needs(past)
        assert [(n["description"], n["status"]) for n in then.items] == [("before", "open")]
        assert list_needs(view_store).total == 2  # the live view is untouched
    finally:
        view_store.drop_scratch(past)


def test_the_needs_list_as_it_stood_by_event_time(view_store) -> None:
    app = district(at=NOW - timedelta(days=40))
    raise_need(app, NOW - timedelta(days=30), "last month")
    raise_need(app, NOW - timedelta(days=1), "yesterday")  # recorded now, happened yesterday
    runner = Runner(app.recorder, app.mapper, view_store, all_views())
    past = build_as_of(runner, [NeedsList()], NOW - timedelta(days=7), "occurred")
    try:
        assert [n["description"] for n in list_needs(past).items] == ["last month"]
    finally:
        view_store.drop_scratch(past)


def test_comparing_two_instants_shows_what_changed(view_store) -> None:
    app = district(at=NOW - timedelta(days=40))
    need = raise_need(app, NOW - timedelta(days=30), "kept")
    raise_need(app, NOW - timedelta(days=2), "new")
    app.close_need(need_id=need.aggregate_id, by="ca", reason="moved", at=NOW - timedelta(days=1))
    runner = Runner(app.recorder, app.mapper, view_store, all_views())
    view = NeedsList()
    before = build_as_of(runner, [view], NOW - timedelta(days=10), "occurred")
    after = build_as_of(runner, [view], NOW, "occurred")
    try:
        diff = compare(before, after, view)["needs_list"]
        assert [r["description"] for r in diff.added] == ["new"]
        assert diff.removed == []
        assert [c["status"] for c in diff.changed] == [["open", "closed"]]
    finally:
        view_store.drop_scratch(before)
        view_store.drop_scratch(after)
