"""Auditors replay any view as it stood on any day, and compare two days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso(when: datetime) -> str:
    return when.isoformat()


def test_the_needs_list_as_it_stood_ten_days_ago_by_event_time(demo_client) -> None:
    now = datetime.now(UTC)
    then = demo_client.get(
        "/v1/audit/views/needs_list", params={"at": iso(now - timedelta(days=10)), "by": "occurred"}
    ).json()
    live = demo_client.get("/v1/needs", params={"limit": 500}).json()
    past = then["tables"]["needs_list"]
    assert 0 < len(past) < live["total"]
    assert all(row["raised_at"] <= iso(now - timedelta(days=10)) for row in past)
    uremia = next(r for r in past if r["description"].startswith("Dialysis"))
    assert uremia["status"] == "met"


def test_comparing_two_instants_names_added_and_changed_rows(demo_client) -> None:
    now = datetime.now(UTC)
    diff = demo_client.get(
        "/v1/audit/views/referral_board/compare",
        params={"from": iso(now - timedelta(days=4)), "to": iso(now), "by": "occurred"},
    ).json()
    board = diff["tables"]["referral_board"]
    assert {r["holder"] for r in board["added"]} >= {"disabled-federation", "health"}
    assert board["removed"] == []


def test_the_live_views_are_untouched_by_a_replay(demo_client) -> None:
    before = demo_client.get("/v1/needs", params={"limit": 500}).json()
    demo_client.get("/v1/audit/views/needs_list", params={"at": "2026-01-01T00:00:00+08:00"})
    assert demo_client.get("/v1/needs", params={"limit": 500}).json() == before


def test_an_unknown_view_or_a_naive_time_is_refused(demo_client) -> None:
    assert (
        demo_client.get("/v1/audit/views/nope", params={"at": "2026-01-01T00:00:00Z"}).status_code
        == 404
    )
    naive = demo_client.get("/v1/audit/views/needs_list", params={"at": "2026-01-01T00:00:00"})
    assert naive.status_code == 422 and "UTC offset" in naive.json()["detail"]
