"""Health and metrics name a view stopped at an event it cannot apply (never a silent freeze)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel
from tests.builders import VILLAGE, cloud_event, discovered
from tests.e2e.conftest import eventually, post_event


def _poison_directly(client) -> None:
    """Store an event past the edge (as an older edge or another writer could have)."""
    container = client.app.state.container
    container.app.report_discovery(
        household_key=pseudonymise("330106198001010099", "s"),
        region_code=VILLAGE,
        channel=Channel.GRID_WORKER,
        reported_by="gw",
        at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        members=[],
    )
    container.nudge()


def test_health_answers_503_naming_the_stopped_view_its_event_and_error(client) -> None:
    assert client.get("/v1/health").status_code == 200
    _poison_directly(client)
    answer = eventually(lambda: client.get("/v1/health"), lambda r: r.status_code == 503)
    assert answer.headers["retry-after"]
    body = answer.json()
    stop = body["views"]["household_file"]["stopped"]
    assert stop["event_type"] == "Household.Discovered" and "@" in stop["event_id"]
    assert "OverflowError" in stop["error"] and stop["resume"].endswith("household_file")
    assert any("household_file" in p for p in body["problems"])


def test_metrics_export_the_stop_and_later_events_still_reach_the_other_views(client) -> None:
    _poison_directly(client)
    eventually(lambda: client.get("/v1/health"), lambda r: r.status_code == 503)
    assert post_event(client, cloud_event("household.discovered", discovered())).status_code == 201
    text = client.get("/metrics").text
    assert 'zhulian_view_stopped{view="household_file"} 1' in text
    assert 'zhulian_view_stopped_position{view="household_file",stream="0"' in text
    needs = eventually(
        lambda: client.get("/v1/health").json()["views"]["needs_list"],
        lambda v: v["behind"] == 0,
    )
    assert needs["stopped"] is None
