"""A view that cannot apply an event stops there, visibly — on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind
from projections.runtime.runner import Runner
from projections.runtime.store import SqlViewStore
from services.container import all_views
from tests.builders import NOW, VILLAGE

pytestmark = pytest.mark.integration

PLUS_14 = timezone(timedelta(hours=14))


def _app() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _discover(app: Alliance, n: int, *, at: datetime = NOW, reported_by: str = "gw") -> None:
    app.report_discovery(
        household_key=pseudonymise(f"33010619800101{n:04d}", "s"),
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by=reported_by,
        at=at,
        members=[Member("head", 1950, ())],
    )


def _offering(app: Alliance, capacity: int) -> None:
    provider = app.register_provider(
        name="Care team",
        kind=ProviderKind.SOCIAL_WORK_PROVIDER,
        region_code=VILLAGE[:6],
        description="",
        by="ca",
        at=NOW,
    ).aggregate_id
    terms = OfferingTerms.parse(
        {
            "name": "home care",
            "need_type": "care",
            "category": "care",
            "areas": [VILLAGE[:6]],
            "capacity": capacity,
        }
    )
    app.publish_offering(provider_id=provider, terms=terms, by="ca", at=NOW)


def _assert_never_frozen(runner: Runner, store: SqlViewStore) -> list[str]:
    """Every view either applied the whole log or stopped, visibly, at an event not applied."""
    head = runner.head()
    stopped = {(s.view, s.stream): s for s in store.stopped()}
    names = []
    for view in runner.views:
        position = store.position(view)
        halt = stopped.get((view.name, 0))
        if halt is None:
            assert position == head, f"{view.name} is at {position} of {head} and not stopped"
            continue
        assert halt.position > position, f"{view.name} stopped at an event it already applied"
        assert halt.error and str(halt.position) in halt.error
        names.append(view.name)
    return names


@pytest.mark.parametrize(
    "poison",
    [
        pytest.param(
            lambda app: _discover(app, 1, at=datetime(1, 1, 1, tzinfo=PLUS_14)), id="time"
        ),
        pytest.param(lambda app: _offering(app, 2**63), id="capacity-2^63"),
        pytest.param(lambda app: _discover(app, 1, reported_by="dept\x00name"), id="nul"),
    ],
)
def test_an_event_a_view_cannot_hold_stops_that_view_visibly(view_store, poison, request) -> None:
    app = _app()
    _discover(app, 0)
    poison(app)
    _discover(app, 2)
    runner = Runner(app.recorder, app.mapper, view_store, all_views(), batch_size=50)
    runner.catch_up()  # never raises, never loops
    stopped = _assert_never_frozen(runner, view_store)
    runner.catch_up()  # a second pass changes nothing and stays visible
    assert _assert_never_frozen(runner, view_store) == stopped
    for halt in view_store.stopped():
        assert halt.event_type and halt.event_id
    case = request.node.callspec.id.split("-", 1)[1]
    if (view_store.dialect.name, case) in CANNOT_HOLD:
        assert stopped, f"{view_store.dialect.name} cannot hold the {case} case; a view must stop"


# What each database refuses (the others hold it and every view applies it).
CANNOT_HOLD = {
    ("sqlite", "time"),  # stored as UTC text: year 1 at +14:00 is before year 1 in UTC
    ("sqlite", "capacity-2^63"),
    ("postgres", "capacity-2^63"),  # bigint
    ("postgres", "nul"),  # text cannot contain NUL
}


def test_a_stopped_view_keeps_what_came_before_and_the_others_carry_on(view_store) -> None:
    app = _app()
    _discover(app, 0)
    _offering(app, 2**63)
    _discover(app, 2)
    runner = Runner(app.recorder, app.mapper, view_store, all_views(), batch_size=50)
    runner.catch_up()
    stopped = {s.view for s in view_store.stopped()}
    assert stopped, "a capacity of 2^63 fits no 64-bit column; some view must stop at it"
    household_file = next(v for v in runner.views if v.name == "household_file")
    assert household_file.name not in stopped
    assert view_store.position(household_file) == runner.head()
