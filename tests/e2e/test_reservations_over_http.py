"""Reservations over HTTP, each path; grants within bounds; deliveries checked; Shanghai months."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.auth.principal import Principal, Role
from tests.builders import cloud_event, household_ref
from tests.e2e.conftest import eventually, post_event
from tests.e2e.money_world import (
    XINYUAN,
    accept,
    deliver,
    household,
    left,
    need,
    referral_step,
    reservation,
    send,
    supply,
)

pytestmark = pytest.mark.e2e


def test_a_refused_referral_releases_its_capacity_and_a_delivery_uses_the_next(client) -> None:
    s = supply(client)
    household(client, "330106195001010011")
    need_id = need(client, "330106195001010011")
    first = accept(client, need_id, s["offering"])["record_id"]
    assert reservation(client, first, "open")["units"] == 1
    eventually(lambda: left(client, s["offering"]), lambda n: n == 2)
    held = client.get("/v1/resources").json()["money"]
    assert held["reserved_units"] == {s["offering"]: 1} and held["reserved_fen"] == 0
    referral_step(client, "refused", first, reason="no nurse free this week")
    ended = reservation(client, first, "released")
    assert ended["cause"] == "referral_refused" and ended["reason"] == "no nurse free this week"
    eventually(lambda: left(client, s["offering"]), lambda n: n == 3)
    second = accept(client, need_id, s["offering"])["record_id"]
    deliver(client, s, "330106195001010011", 201, referral_id=second, provider_id=s["provider"])
    used = reservation(client, second, "used")
    assert used["used_by"] == "delivery"
    eventually(lambda: left(client, s["offering"]), lambda n: n == 2)  # one unit, counted once


def test_a_reassigned_referral_and_a_coordinators_release_end_reservations(client) -> None:
    s = supply(client)
    for number in ("330106195001010011", "330106195001010022"):
        household(client, number)
    moved = accept(client, need(client, "330106195001010011"), s["offering"])["record_id"]
    send(
        client,
        "referral.reassigned",
        {
            "referral_id": moved,
            "department": XINYUAN,  # the holder moves it on (or a coordinator of the region)
            "to_department": "health",
            "reason": "needs a nurse",
        },
    )
    assert reservation(client, moved, "released")["cause"] == "referral_reassigned"
    kept = accept(client, need(client, "330106195001010022"), s["offering"])["record_id"]
    send(
        client,
        "reservation.released",
        # the holder ends it unused (a coordinator of the region may too)
        {"referral_id": kept, "reason": "the family moved", "actor": "Xinyuan social work"},
    )
    assert reservation(client, kept, "released")["cause"] == "coordinator"
    again = post_event(
        client,
        cloud_event(
            "reservation.released",
            {"referral_id": kept, "reason": "again", "actor": "Xinyuan social work"},
        ),
    )
    assert again.status_code == 409
    eventually(lambda: left(client, s["offering"]), lambda n: n == 3)


def test_an_unused_reservation_expires_once_after_the_policys_days(clocked) -> None:
    client, clock = clocked
    s = supply(client)
    household(client, "330106195001010011")
    referral = accept(client, need(client, "330106195001010011"), s["offering"])["record_id"]
    referral_step(client, "accepted", referral)  # no answer owed: only the reservation is due
    referral_step(client, "feedback_given", referral, content="visit planned")
    container = client.app.state.container
    container.runner.catch_up()
    assert container.deadline_clock.sweep() == 0
    clock.advance(days=30, seconds=1)
    container.runner.catch_up()
    assert container.deadline_clock.sweep() == 1
    container.runner.catch_up()
    assert container.deadline_clock.sweep() == 0
    assert reservation(client, referral, "expired")["ended_by"] == "clock"


def test_a_fund_accept_names_its_grant_within_the_policys_bounds(client) -> None:
    s = supply(client)
    household(client, "330106195001010011")
    need_id = need(client, "330106195001010011")
    missing = accept(client, need_id, s["fund"], 422)
    assert "from 100.00 yuan to 20,000.00 yuan" in str(missing)
    beyond = accept(client, need_id, s["fund"], 422, amount_yuan="25000.00")
    assert "outside the policy's bounds" in str(beyond)
    referral = accept(client, need_id, s["fund"], amount_yuan="1800.00")["record_id"]
    assert reservation(client, referral, "open")["amount_fen"] == 180_000


def test_deliveries_by_the_wrong_provider_or_to_an_ineligible_household_are_refused(
    client,
) -> None:
    s = supply(client)
    household(client, "330106195001010011")
    household(client, "330106195001010022", dibao=False)
    wrong = deliver(client, s, "330106195001010011", 409, provider_id=s["other"])
    assert "does not hold item 'home-care'" in str(wrong)
    ineligible = deliver(client, s, "330106195001010022", 409)
    assert "not eligible for 'Home nursing'" in str(ineligible)
    assert left(client, s["offering"]) == 3


def test_capacity_months_in_the_api_are_shanghai_months_at_2330_utc_on_the_last_day(
    clocked,
) -> None:
    client, clock = clocked
    clock.now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 1 December 07:30 in Shanghai
    s = supply(client)
    household(client, "330106195001010011")
    accept(client, need(client, "330106195001010011"), s["offering"])
    december = eventually(
        lambda: client.get("/v1/services", params={"category": "care"}).json(),
        lambda page: page["items"] and page["items"][0]["used"] == 1,
    )
    assert december["period"] == "2026-12"  # the API's month of "now" is Shanghai's
    november = client.get(f"/v1/services/{s['offering']}", params={"period": "2026-11"}).json()
    assert november["used"] == 0
    deliver(client, s, "330106195001010011", 201)  # recorded at 23:30 UTC on 30 November
    months = eventually(
        lambda: client.get("/v1/statistics", params={"by": "month", "kind": "delivery"}).json(),
        lambda page: bool(page["rows"]),
    )["rows"]
    assert [m["dim_key"] for m in months] == ["2026-12"]


def _provider_system(record: str | None) -> Principal:
    """A provider's own system: a provider client under its source, linked to a record or not."""
    return Principal(
        f"client-xinyuan-{record or 'unlinked'}"[:64], "client", Role.PROVIDER, "xinyuan",
        region="330106", provider="xinyuan", provider_record=record,
        sources=("/330106/test",), event_types=("cn.zhulian.contract.delivery_recorded.*",),
    )  # fmt: skip


def _deliver_as(client, s: dict[str, str], record: str | None, status: int) -> Any:
    system = _provider_system(record)
    client.principals[system.subject] = system
    event = cloud_event(
        "contract.delivery_recorded",
        {
            "contract_id": s["contract"],
            "item_id": "home-care",
            "household": household_ref("330106195001010011"),
            "person_times": 1,
            "cost_yuan": "30.00",
        },
    )
    response = client.post(
        "/v1/events",
        json=event,
        headers={"content-type": "application/cloudevents+json", "x-test-as": system.subject},
    )
    assert response.status_code == status, response.json()
    return response.json()


def test_a_providers_credential_records_deliveries_only_on_its_own_records_contracts(
    client,
) -> None:
    s = supply(client)
    household(client, "330106195001010011")
    assert _deliver_as(client, s, s["provider"], 201)["result"] == "stored"
    refused = _deliver_as(client, s, s["other"], 403)
    assert f"only its provider ({s['provider']})" in str(refused)
    unlinked = _deliver_as(client, s, None, 403)  # a provider credential naming no record
    assert f"only its provider ({s['provider']})" in str(unlinked)
    assert left(client, s["offering"]) == 2  # the one delivery stored took one place
