"""Deadlines judged on recorded time; the clock records breaches and escalations once each."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from services.api.app import create_app
from services.settings import Settings
from tests.builders import cloud_event, consented, discovered, need_raised
from tests.e2e.conftest import FakeClock, eventually, post_event
from tests.support.signed_in import SignedIn

VILLAGE = "330106002051"


def container(client: TestClient):
    return client.app.state.container


def a_referral(client: TestClient, number: str, at: datetime, holder: str = "hrss") -> str:
    post_event(client, cloud_event("household.discovered", discovered(number), time=at))
    post_event(client, cloud_event("household.consent.given", consented(number), time=at))
    need = post_event(client, cloud_event("need.raised", need_raised(number), time=at))
    data = {"need_id": need.json()["record_id"], "from_department": "civil-affairs"}
    requested = post_event(
        client, cloud_event("referral.requested", {**data, "to_department": holder}, time=at)
    )
    assert requested.status_code == 201, requested.text
    return requested.json()["record_id"]


def step(client: TestClient, kind: str, referral: str, at: datetime, **data: object) -> None:
    event = cloud_event(kind, {"referral_id": referral, "department": "hrss", **data}, time=at)
    response = post_event(client, event)
    assert response.status_code == 201, response.text


def board_row(client: TestClient, referral: str, until=lambda row: True) -> dict:
    def row() -> dict | None:
        items = client.get("/v1/referrals", params={"open": "false", "limit": 200}).json()
        return next((r for r in items["items"] if r["referral_id"] == referral), None)

    return eventually(row, lambda r: r is not None and until(r))


def breach_events(client: TestClient) -> Counter:
    """Breaches and escalations in the log, counted by kind and the region escalated to."""
    app = container(client).app
    counted: Counter = Counter()
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        if notification.topic.endswith("Referral.DeadlineBreached"):
            counted["breached"] += 1
        elif notification.topic.endswith("Referral.Escalated"):
            event = app.mapper.to_domain_event(notification)
            counted[f"to {len(event.to_region)} digits"] += 1
    return counted


def sweep(client: TestClient) -> int:
    runner = container(client).runner
    runner.catch_up()
    return container(client).deadline_clock.sweep()


def test_an_unaccepted_request_is_overdue_a_day_after_it_arrived_and_escalates_once(clocked):
    client, clock = clocked
    referral = a_referral(client, "330106197001010041", clock.now)
    clock.advance(hours=23)
    assert sweep(client) == 0
    clock.advance(hours=2)
    assert sweep(client) == 1
    assert sweep(client) == 0, "a breach is recorded once"
    row = board_row(client, referral, lambda r: r["breaches"] == 1)
    assert row["overdue"] is True and row["escalated_to"] == VILLAGE[:9]
    assert breach_events(client) == Counter({"breached": 1, "to 9 digits": 1})
    town_board = client.get("/v1/referrals", params={"escalated_to": VILLAGE[:9]}).json()
    assert [r["referral_id"] for r in town_board["items"]] == [referral]
    county_board = client.get("/v1/referrals", params={"escalated_to": VILLAGE[:6]}).json()
    assert county_board["items"] == []


def test_a_backdated_acceptance_that_arrived_late_is_still_late(clocked) -> None:
    client, clock = clocked
    requested_at = clock.now
    referral = a_referral(client, "330106197001010042", requested_at)
    clock.advance(hours=30)
    claimed = requested_at.replace(microsecond=0)  # claims to have accepted at once
    step(client, "referral.accepted", referral, claimed)
    row = board_row(client, referral, lambda r: r["status"] == "accepted")
    assert row["accepted_late"] is True
    assert datetime.fromisoformat(row["accepted_at"]) == claimed  # the claim stays visible


def test_a_simulated_month_gives_the_known_breaches_and_escalations(clocked) -> None:
    client, clock = clocked
    start = clock.now
    groups: dict[str, list[str]] = {"never": [], "late": [], "silent": [], "prompt": []}
    for i, name in enumerate([g for g in groups for _ in range(5)]):
        groups[name].append(a_referral(client, f"3301061970010{i:05d}", start))
    plan = {  # hours after the request: what each group does
        2: [("prompt", "referral.accepted"), ("silent", "referral.accepted")],
        10: [("prompt", "referral.feedback_given")],
        36: [("late", "referral.accepted")],
    }
    for hour in range(0, 30 * 24 + 1, 6):
        clock.now = start + timedelta(hours=hour)
        for due_hour, actions in plan.items():
            if hour == due_hour or (hour < due_hour < hour + 6):
                for group, kind in actions:
                    for referral in groups[group]:
                        extra = {"content": "on it"} if kind.endswith("feedback_given") else {}
                        step(client, kind, referral, clock.now, **extra)
        sweep(client)
    assert breach_events(client) == Counter({"breached": 20, "to 9 digits": 15, "to 6 digits": 5})
    rates = client.get("/v1/statistics/on-time", params={"region": "330106"}).json()
    hrss = next(r for r in rates["items"] if r["department"] == "hrss")
    assert hrss["accepted"] == 15 and hrss["accepted_late"] == 5 and hrss["breaches"] == 20


def test_two_clocks_never_record_a_breach_twice(tmp_path) -> None:
    clock = FakeClock()
    settings = Settings(data_dir=tmp_path, demo=False, run_clock=False)
    with SignedIn(create_app(settings, clock=clock)) as first:
        referrals = [a_referral(first, f"33010619700102{i:04d}", clock.now) for i in range(20)]
        clock.advance(hours=25)
        with SignedIn(create_app(settings, clock=clock)) as second:
            for c in (first, second):
                container(c).runner.catch_up()
            counts: list[int] = []
            sweeps = [container(c).deadline_clock.sweep for c in (first, second)]
            threads = [threading.Thread(target=lambda s=s: counts.append(s())) for s in sweeps]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sum(counts) == len(referrals)
            assert breach_events(first)["breached"] == len(referrals)


def test_breaches_that_fell_while_no_clock_ran_are_recorded_at_start_with_their_due_time(
    tmp_path,
) -> None:
    clock = FakeClock()
    settings = Settings(data_dir=tmp_path, demo=False, run_clock=False)
    with SignedIn(create_app(settings, clock=clock)) as before:
        referral = a_referral(before, "330106197001030001", clock.now)
        due = clock.now + timedelta(hours=24)
    clock.advance(days=3)
    restarted = Settings(data_dir=tmp_path, demo=False, run_clock=True)
    with SignedIn(create_app(restarted, clock=clock)) as after:
        row = board_row(after, referral, lambda r: r["breaches"] == 1)
        assert datetime.fromisoformat(row["last_breach_due_at"]) == due
        assert breach_events(after)["breached"] == 1


def self_application(client: TestClient, number: str, at: datetime) -> str:
    data = discovered(number, channel="self_application")
    response = post_event(client, cloud_event("household.discovered", data, time=at))
    assert response.status_code == 201, response.text
    return response.json()["record_id"]


def answer(client: TestClient, number: str, at: datetime) -> object:
    data = {"household": {"registration_number": number}, "answer": "visit booked"}
    data["actor"] = "civil-affairs"
    return post_event(client, cloud_event("household.application_answered", data, time=at))


def household_file(client: TestClient, household: str, until=lambda f: True) -> dict:
    return eventually(lambda: client.get(f"/v1/households/{household}").json(), until)


def test_a_self_application_owes_an_answer_within_a_day_and_a_miss_is_recorded_once(clocked):
    client, clock = clocked
    household = self_application(client, "330106199001010051", clock.now)
    file = household_file(client, household, lambda f: f.get("answer_due_at"))
    assert datetime.fromisoformat(file["answer_due_at"]) == clock.now + timedelta(hours=24)
    clock.advance(hours=25)
    assert sweep(client) == 1 and sweep(client) == 0
    file = household_file(client, household, lambda f: f.get("last_overdue_due_at"))
    assert file["escalated_to"] == VILLAGE[:9]
    assert answer(client, "330106199001010051", clock.now).status_code == 201
    file = household_file(client, household, lambda f: f["answered_at"] is not None)
    assert file["answer_late"] is True and file["answer_due_at"] is None


def test_an_application_answered_in_time_is_never_overdue(clocked) -> None:
    client, clock = clocked
    household = self_application(client, "330106199001010052", clock.now)
    clock.advance(hours=3)
    assert answer(client, "330106199001010052", clock.now).status_code == 201
    clock.advance(days=5)
    assert sweep(client) == 0
    file = household_file(client, household, lambda f: f["answered_at"] is not None)
    assert file["answer_late"] is False


def test_a_household_found_by_a_grid_worker_owes_no_application_answer(clocked) -> None:
    client, clock = clocked
    post_event(client, cloud_event("household.discovered", discovered("330106199001010053")))
    refused = answer(client, "330106199001010053", clock.now)
    assert refused.status_code == 409 and "no application" in refused.text
