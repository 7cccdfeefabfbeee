"""Pairings: a helper owes the household calls, visits and deeds; the overdue ones are listed."""

from __future__ import annotations

from tests.builders import cloud_event, discovered, household_ref
from tests.e2e.conftest import eventually, post_event


def pair(client, number: str, at, kind: str = "party_member_child", **extra) -> str:
    post_event(client, cloud_event("household.discovered", discovered(number), time=at))
    data = {
        "household": household_ref(number),
        "kind": kind,
        "helper_ref": "branch-3/member-017",
        "actor": "civil-affairs",
        **extra,
    }
    response = post_event(client, cloud_event("pairing.started", data, time=at))
    assert response.status_code == 201, response.text
    return response.json()["record_id"]


def contact(client, pairing: str, kind: str, at) -> object:
    data = {"pairing_id": pairing, "contact": kind, "actor": "civil-affairs"}
    return post_event(client, cloud_event("pairing.contact_recorded", data, time=at))


def listed(client, **params) -> list[dict]:
    return client.get("/v1/pairings", params=params).json()["items"]


def test_a_party_member_owes_a_call_a_quarter_a_visit_a_half_year_and_a_deed_a_year(clocked):
    client, clock = clocked
    start = clock.now
    pairing = pair(client, "330106201101010033", start)
    row = eventually(lambda: listed(client), lambda rows: len(rows) == 1)[0]
    assert row["call_due_at"] and row["visit_due_at"] and row["deed_due_at"]
    assert row["overdue"] is False

    clock.advance(days=92)
    assert listed(client, overdue="true")[0]["overdue_contacts"] == ["call"]

    assert contact(client, pairing, "call", clock.now).status_code == 201
    rows = eventually(lambda: listed(client), lambda r: r[0]["contacts"] == 1)
    assert rows[0]["overdue"] is False

    clock.advance(days=91)  # 183 days in: the visit is overdue, the new call not yet
    assert listed(client, overdue="true")[0]["overdue_contacts"] == ["visit"]


def test_an_overdue_visit_is_on_its_regions_list_and_not_on_anothers(clocked) -> None:
    client, clock = clocked
    pair(client, "330106201101010034", clock.now, kind="volunteer_elderly")
    clock.advance(days=31)
    rows = eventually(lambda: listed(client, region="330106002", overdue="true"), lambda r: r)
    assert set(rows[0]["overdue_contacts"]) == {"call", "visit"}
    assert listed(client, region="330106004", overdue="true") == []


def test_a_contact_the_pairing_does_not_owe_or_after_its_end_is_refused(clocked) -> None:
    client, clock = clocked
    pairing = pair(client, "330106201101010035", clock.now, kind="social_worker_household")
    refused = contact(client, pairing, "call", clock.now)
    assert refused.status_code == 409 and "owes visit" in refused.text
    ended = post_event(
        client,
        cloud_event(
            "pairing.ended",
            {"pairing_id": pairing, "actor": "civil-affairs", "reason": "moved away"},
        ),
    )
    assert ended.status_code == 201
    assert contact(client, pairing, "visit", clock.now).status_code == 409
    rows = eventually(lambda: listed(client, status="ended"), lambda r: len(r) == 1)
    assert rows[0]["end_reason"] == "moved away" and rows[0]["overdue"] is False
