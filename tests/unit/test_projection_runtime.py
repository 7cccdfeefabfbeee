"""The projection runtime on SQLite: exactly once, resumable, and loud about poison."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.shared.taxonomy import Category, NeedType, Urgency
from projections.needs_list.queries import list_needs
from projections.needs_list.view import NeedsList
from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore
from services.container import all_views
from tests.builders import NOW, VILLAGE


@pytest.fixture
def app() -> Alliance:
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for n in range(3):
        key = pseudonymise(f"33010619800101{n:04d}", "s")
        app.report_discovery(
            household_key=key,
            region_code=VILLAGE,
            channel=Channel.NEIGHBOUR,
            reported_by="x",
            at=NOW,
            members=[Member("head", 1950, ())],
        )
        app.raise_need(
            household_key=key,
            need_type=NeedType.CARE,
            category=Category.CARE,
            urgency=Urgency.NORMAL,
            description="care",
            raised_by="x",
            at=NOW,
        )
    return app


def runner(app: Alliance, path: Path, views=None) -> Runner:
    return Runner(app.recorder, app.mapper, SQLiteViewStore(path), views or all_views())


def test_the_runner_applies_every_event_and_records_its_position(app, tmp_path) -> None:
    r = runner(app, tmp_path / "v.db")
    r.catch_up()
    assert list_needs(r.store).total == 3
    assert all(r.store.position(v) == app.recorder.max_notification_id() for v in r.views)
    assert all(r.lag(v, NOW).events == 0 for v in r.views)


def test_redelivering_a_batch_changes_nothing(app, tmp_path) -> None:
    r = runner(app, tmp_path / "v.db")
    r.catch_up()
    view = r.views[0]
    before = r.store.checksum(view)
    notifications = app.recorder.select_notifications(start=1, limit=100)
    batch = [(n.id, app.mapper.to_domain_event(n)) for n in notifications]
    assert r.store.step(view, 0, lambda position: batch).applied == 0
    assert r.store.checksum(view) == before


def test_a_restarted_runner_resumes_where_it_stopped(app, tmp_path) -> None:
    path = tmp_path / "v.db"
    first = runner(app, path)
    first.catch_up()
    key = pseudonymise("330106198001019999", "s")
    app.report_discovery(
        household_key=key,
        region_code=VILLAGE,
        channel=Channel.NEIGHBOUR,
        reported_by="x",
        at=NOW,
        members=[],
    )
    app.raise_need(
        household_key=key,
        need_type=NeedType.CARE,
        category=Category.CARE,
        urgency=Urgency.HIGH,
        description="more",
        raised_by="x",
        at=NOW,
    )
    second = runner(app, path)
    assert second.catch_up() > 0
    assert list_needs(second.store).total == 4


def test_a_rebuild_gives_the_same_checksum_as_the_live_view(app, tmp_path) -> None:
    r = runner(app, tmp_path / "v.db")
    r.catch_up()
    live = {v.name: r.store.checksum(v) for v in r.views}
    for view in r.views:
        r.rebuild(view)
    assert {v.name: r.store.checksum(v) for v in r.views} == live


def test_a_poison_event_stops_its_view_and_names_the_position(app, tmp_path) -> None:
    class Broken(NeedsList):
        def handlers(self):
            handlers = super().handlers()
            raised = next(k for k in handlers if k.__qualname__ == "Need.Raised")

            def explode(*_):
                raise ValueError("bad data")

            return {**handlers, raised: explode}

    r = runner(app, tmp_path / "v.db", views=[Broken()])
    r.catch_up()
    (poison,) = r.store.stopped()
    assert (poison.view, poison.position) == ("needs_list", 2) and "Need.Raised" in poison.error
    assert r.store.position(r.views[0]) == 1  # stopped before the poison, nothing skipped
    r.catch_up()
    assert r.store.position(r.views[0]) == 1  # stays stopped until an operator resumes it
    assert r.lag(r.views[0], NOW).events == app.recorder.max_notification_id() - 1


def test_resuming_a_fixed_view_applies_the_poison_event_and_the_rest(app, tmp_path) -> None:
    path = tmp_path / "v.db"

    class Broken(NeedsList):
        def handlers(self):
            return {k: _explode for k in super().handlers()}

    broken = runner(app, path, views=[Broken()])
    broken.catch_up()
    assert broken.store.stopped()
    fixed = runner(app, path, views=[NeedsList()])
    assert fixed.store.resume("needs_list") == 1
    fixed.catch_up()
    assert list_needs(fixed.store).total == 3 and not fixed.store.stopped()


def _explode(*_):
    raise ValueError("bad data")


def test_an_as_of_filter_leaves_later_events_out_but_advances(app, tmp_path) -> None:
    r = Runner(
        app.recorder,
        app.mapper,
        SQLiteViewStore(tmp_path / "v.db"),
        [NeedsList()],
        include=lambda event: (
            event.originator_version == 1
            and event.timestamp
            and type(event).__qualname__ != "Need.Raised"
        ),
    )
    r.catch_up()
    assert list_needs(r.store).total == 0
    assert r.store.position(r.views[0]) == app.recorder.max_notification_id()


def test_unknown_event_types_still_advance_the_position(app, tmp_path) -> None:
    class OnlyNeeds(NeedsList):
        name = "only_needs"

    r = runner(app, tmp_path / "v.db", views=[OnlyNeeds()])
    r.catch_up()
    assert r.store.position(r.views[0]) == app.recorder.max_notification_id()
