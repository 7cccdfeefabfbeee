"""One set of handlers, two stores: SQLite (embedded) and PostgreSQL (production) agree."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Assistance, Channel, Member
from domain.shared.taxonomy import Category, NeedType, Urgency
from projections.household_file.queries import get_household, timeline
from projections.needs_list.queries import list_needs
from projections.referral_board.queries import list_referrals
from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore
from services.container import all_views
from tests.builders import NOW, VILLAGE

pytestmark = pytest.mark.integration


def casework() -> Alliance:
    """A small district: two households, needs, referrals at several steps."""
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for n, urgency in enumerate((Urgency.CRITICAL, Urgency.NORMAL)):
        key = pseudonymise(f"33010619800101{n:04d}", "s")
        app.report_discovery(
            household_key=key,
            region_code=VILLAGE[:-1] + str(n),
            channel=Channel.GRID_WORKER,
            reported_by="gw",
            at=NOW,
            members=[Member("head", 1950, ())],
        )
        app.grant_assistance(household_key=key, status=Assistance.DIBAO, by="ca", at=NOW)
        app.give_consent(
            household_key=key,
            recipient="alliance",
            purpose="referral",
            document="form-1",
            by="ca",
            at=NOW,
        )
        need = app.raise_need(
            household_key=key,
            need_type=NeedType.SURVIVAL,
            category=Category.MEDICAL,
            urgency=urgency,
            description="d",
            raised_by="ca",
            at=NOW - timedelta(days=4),
        ).aggregate_id
        ref = app.request_referral(
            need_id=need, from_department="ca", to_department="health", at=NOW - timedelta(days=3)
        ).aggregate_id
        app.accept_referral(referral_id=ref, by="health", at=NOW - timedelta(hours=30 * n))
    return app


def follow(app: Alliance, store) -> Runner:
    runner = Runner(app.recorder, app.mapper, store, all_views(), batch_size=7)
    runner.catch_up()
    return runner


def test_the_needs_list_answers_the_same_on_both_stores(view_store, tmp_path) -> None:
    app = casework()
    follow(app, view_store)
    page = list_needs(view_store, region=VILLAGE[:10])
    assert page.total == 2
    assert [n["urgency"] for n in page.items] == ["critical", "normal"]
    assert list_needs(view_store, urgency="normal").total == 1


def test_the_referral_board_puts_the_overdue_referral_first(view_store) -> None:
    follow(casework(), view_store)
    board = list_referrals(view_store, now=NOW + timedelta(hours=1))
    assert [r["overdue"] for r in board.items] == [True, False]
    only = list_referrals(view_store, now=NOW + timedelta(hours=1), overdue_only=True)
    assert only.total == 1


def test_household_files_and_timelines_match(view_store) -> None:
    app = casework()
    follow(app, view_store)
    household_id = list_needs(view_store).items[0]["household_id"]
    found = get_household(view_store, household_id)
    assert found["assistance"] == ["dibao"]
    assert [(s["basis"], s["recipient"]) for s in found["sharing"]] == [("consent", "alliance")]
    assert [e["event_type"] for e in timeline(view_store, household_id)][:4] == [
        "Household.Discovered",
        "Household.AssistanceGranted",
        "Household.ConsentGiven",
        "Need.Raised",
    ]


def test_checksums_are_equal_across_stores(view_store, tmp_path) -> None:
    app = casework()
    follow(app, view_store)
    reference = SQLiteViewStore(tmp_path / "reference.db")
    follow(app, reference)
    for view in all_views():
        assert view_store.checksum(view) == reference.checksum(view), view.name


def test_a_rebuild_reproduces_the_live_checksum(view_store) -> None:
    runner = follow(casework(), view_store)
    for view in runner.views:
        live = view_store.checksum(view)
        runner.rebuild(view)
        assert view_store.checksum(view) == live


def test_redelivery_after_a_crash_changes_nothing(view_store) -> None:
    app = casework()
    runner = follow(app, view_store)
    view = runner.views[0]
    before = view_store.checksum(view)
    everything = app.recorder.select_notifications(start=1, limit=1000)
    batch = [(n.id, app.mapper.to_domain_event(n)) for n in everything]
    assert view_store.step(view, 0, lambda position: batch).applied == 0
    assert view_store.checksum(view) == before


def test_handlers_can_find_rows_by_column_values(view_store) -> None:
    from projections.runtime.sql import SqlTx

    follow(casework(), view_store)
    with view_store._transaction() as cur:
        tx = SqlTx(cur, view_store.dialect, {t.name: t for t in view_store.tables()})
        assert len(tx.find("needs_list", urgency="critical")) == 1
        assert len(tx.find("needs_list", urgency=["critical", "normal"])) == 2
        assert tx.find("needs_list", urgency=[]) == []
        assert {r["status"] for r in tx.find("needs_list")} == {"referred"}
