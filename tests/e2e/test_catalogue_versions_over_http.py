"""Versions of the contract over HTTP: v2 names the actor, v1 still works, conditions hold."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import cloud_event, discovered, need_raised
from tests.e2e.conftest import eventually, post_event


def v2(kind: str, data: dict, **attributes) -> dict:
    """A CloudEvent of the current version of a type."""
    event = cloud_event(kind, data, **attributes)
    event["type"] = event["type"].removesuffix(".v1") + ".v2"
    return event


def rows(body: dict | list) -> list:
    """The rows of a list answer (a page's items)."""
    return body["items"] if isinstance(body, dict) else body


def test_a_v2_discovery_names_its_actor_and_answers_with_the_file_location(client) -> None:
    data = discovered(number="330106197001010031")
    data["actor"] = data.pop("reported_by")
    response = post_event(client, v2("household.discovered", data))
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert location == f"/v1/households/{response.json()['record_id']}"
    file = eventually(lambda: client.get(location), lambda r: r.status_code == 200)
    assert file.json()["region_code"] == data["region_code"]


def test_v1_and_v2_of_a_type_do_the_same_thing(client: TestClient) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    old = need_raised()
    new = {**need_raised(), "actor": old["raised_by"]}
    del new["raised_by"]
    first = post_event(client, cloud_event("need.raised", old)).json()
    second = post_event(client, v2("need.raised", new)).json()
    assert first["record"] == second["record"] == "need"
    needs = eventually(lambda: rows(client.get("/v1/needs").json()), lambda r: len(r) == 2)
    assert {r["raised_by"] for r in needs} == {old["raised_by"]}


def test_a_v2_field_sent_under_its_v1_name_is_refused_by_name(client: TestClient) -> None:
    data = discovered()  # still says reported_by
    response = post_event(client, v2("household.discovered", data))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    # v2's actor comes from the credential (publishing rules); the v1 name alone is refused
    assert fields == {"data.reported_by"}


def test_expectedversion_on_a_type_that_creates_is_refused_and_stores_nothing(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    response = post_event(client, cloud_event("need.raised", need_raised(), expectedversion=1))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expectedversion"
    assert rows(client.get("/v1/needs").json()) == []


def test_a_fund_change_with_a_stale_expectedversion_is_refused_412(client: TestClient) -> None:
    opened = post_event(
        client,
        v2(
            "fund.opened",
            {"name": "community charity fund", "region_code": "330106", "actor": "charity"},
        ),
    )
    fund_id = opened.json()["record_id"]
    donation = {
        "fund_id": fund_id,
        "donor": "a neighbour",
        "donor_kind": "individual",
        "amount_yuan": "100.00",
        "actor": "charity",
    }
    stale = post_event(client, v2("fund.donation_received", donation, expectedversion=7))
    assert stale.status_code == 412
    fresh = post_event(client, v2("fund.donation_received", donation, expectedversion=1))
    assert fresh.status_code == 201 and fresh.json()["version"] == 2
