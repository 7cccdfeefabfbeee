"""The screening alerts view on SQLite and on a real PostgreSQL: same alerts, same checksum."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.alliance import Alliance
from domain.households.identity import household_id
from domain.households.vocabulary import Channel, Member
from domain.screening.model import Outcome
from harness.households import EXAMPLE_RULE, generate
from projections.alerts.queries import hit_counts, list_alerts
from projections.alerts.view import Alerts
from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore
from tests.builders import NOW

pytestmark = pytest.mark.integration


def district() -> tuple[Alliance, list]:
    """Forty generated households, the reports' rule, the monitoring list, one outcome."""
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    households = generate(40, seed=31)
    for h in households:
        members = [Member.parse(m, "m") for m in h.members]
        app.report_discovery(
            household_key=h.key,
            region_code=h.region,
            channel=Channel.DATA_COMPARISON,
            reported_by="ca",
            at=NOW,
            members=members,
        )
    app.adopt_rule(
        region_code="330106",
        rule_id="example",
        name="example",
        expression=EXAMPLE_RULE,
        reason="r",
        by="ca",
        at=NOW,
    )
    app.compare_list(
        region_code="330106",
        department="rural-revitalization",
        list_name="monitoring",
        edition="2026-10",
        rows=[(h.key, {"risk": h.risk}) for h in households if h.monitored],
        at=NOW,
    )
    return app, [h for h in households if h.monitored and h.risk == "not_eliminated" and h.disabled]


def follow(app: Alliance, store) -> Runner:
    runner = Runner(app.recorder, app.mapper, store, [Alerts()], batch_size=7)
    runner.catch_up()
    return runner


def test_both_stores_raise_the_same_alerts_and_an_outcome_closes_one(view_store, tmp_path) -> None:
    app, expected = district()
    runner = follow(app, view_store)
    page, totals = list_alerts(view_store, now=NOW, limit=500)
    assert {a["household_id"] for a in page.items} == {str(household_id(h.key)) for h in expected}
    assert totals["people"] == sum(len(h.members) for h in expected)
    first = page.items[0]
    app.record_alert_outcome(
        alert_id=UUID(first["alert_id"]),
        household_key=first["household_key"],
        rule_id="example",
        outcome=Outcome.DISMISSED,
        reason="checked",
        by="ca",
        at=NOW,
    )
    runner.catch_up()
    assert list_alerts(view_store, now=NOW)[1]["households"] == len(expected) - 1
    counts = hit_counts(view_store, alliance="330106", level=6)
    assert counts[0]["households"] == len(expected)
    reference = SQLiteViewStore(tmp_path / "reference.db")
    follow(app, reference)
    assert view_store.checksum(Alerts()) == reference.checksum(Alerts())


def test_a_rebuild_raises_the_same_alerts_with_the_same_ids(view_store) -> None:
    app, _ = district()
    runner = follow(app, view_store)
    live = view_store.checksum(runner.views[0])
    runner.rebuild(runner.views[0])
    assert view_store.checksum(runner.views[0]) == live
