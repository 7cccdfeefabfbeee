"""The what-if reads the stored JSON straight into the facts fold: same answers as the mapper."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.alliance import Alliance
from domain.households.vocabulary import Assistance
from domain.screening.rules import Rule
from domain.screening.whatif import what_if
from domain.shared.taxonomy import Category, NeedType, Urgency
from harness.households import EXAMPLE_RULE
from projections.alerts.queries import list_alerts
from projections.alerts.whatif import events_until, run_what_if
from projections.runtime.sqlite_store import SQLiteViewStore
from tests.builders import NOW
from tests.integration.views.test_alerts_contract import district, follow

pytestmark = pytest.mark.integration


def sqlite_district(tmp_path) -> tuple[Alliance, list]:
    """The contract's district on eventsourcing's SQLite recorder, with needs and a grant."""
    memory, expected = district()
    app = Alliance(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    )
    app.recorder.insert_events(
        [
            app.mapper.to_stored_event(memory.mapper.to_domain_event(n))
            for n in memory.recorder.select_notifications(1, 100_000)
        ]
    )
    for h in expected[:2]:
        app.grant_assistance(
            household_key=h.key, status=Assistance.DIBAO, by="ca", at=NOW + timedelta(days=1)
        )
    app.raise_need(
        household_key=expected[2].key,
        need_type=NeedType.CARE,
        category=Category.CARE,
        urgency=Urgency.NORMAL,
        description="daily care",
        raised_by="ca",
        at=NOW + timedelta(days=1),
    )
    return app, expected


def test_the_json_reader_and_the_mapper_give_the_same_what_if_at_every_instant(tmp_path) -> None:
    app, expected = sqlite_district(tmp_path)
    draft = [Rule("example", 0, "stricter", EXAMPLE_RULE + " && people >= 2")]
    log = list(events_until(app.recorder, app.mapper, datetime.now(UTC)))
    instants = [log[0].timestamp - timedelta(seconds=1), log[-4].timestamp, log[-1].timestamp]
    fast = run_what_if(app.recorder, app.mapper, draft, "330106", instants)
    slow = what_if(log, draft, "330106", instants)
    assert fast == slow
    assert fast[0]["rules"][0]["in_force"] is None
    assert fast[1]["rules"][0]["in_force"]["households"] == len(expected)
    assert fast[2]["rules"][0]["in_force"]["households"] == len(expected) - 2


def test_a_draft_equal_to_the_rule_in_force_flags_exactly_the_live_alerts(tmp_path) -> None:
    app, expected = sqlite_district(tmp_path)
    store = SQLiteViewStore(tmp_path / "views.db")
    follow(app, store)
    page, _ = list_alerts(store, now=NOW, limit=500)
    satisfied = {a["household_key"] for a in page.items if a["satisfied"]}
    draft = [Rule("example", 0, "the same", EXAMPLE_RULE)]
    (result,) = run_what_if(app.recorder, app.mapper, draft, "330106", [datetime.now(UTC)])
    rule = result["rules"][0]
    assert set(rule["household_keys"]) == satisfied
    assert rule["in_force"]["only_draft"] == rule["in_force"]["only_in_force"] == []
    assert rule["in_force"]["households"] == rule["households"] == len(expected) - 2
