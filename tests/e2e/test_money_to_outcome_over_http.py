"""Reservations over HTTP, each path; deliveries checked; one ledger from donor to outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import cloud_event, household_ref
from tests.e2e.conftest import eventually, post_event

pytestmark = pytest.mark.e2e
VILLAGE = "330106002001"
XINYUAN = "Xinyuan social work"


def send(client: TestClient, kind: str, data: dict[str, Any], status: int = 201) -> Any:
    response = post_event(client, cloud_event(kind, data))
    assert response.status_code == status, response.json()
    return response.json()


def stored(client: TestClient, kind: str, data: dict[str, Any]) -> str:
    return str(send(client, kind, data)["record_id"])


def household(client: TestClient, number: str, *, dibao: bool = True) -> str:
    found = send(
        client,
        "household.discovered",
        {
            "household": household_ref(number),
            "region_code": VILLAGE,
            "channel": "cadre_check",
            "reported_by": "village-cadre-li",
            "members": [{"relation": "head", "birth_year": 1950, "circumstances": []}],
        },
    )
    if dibao:
        send(
            client,
            "household.assistance_granted",
            {"household": household_ref(number), "status": "dibao", "department": "ca"},
        )
    return str(found["record_id"])


def need(client: TestClient, number: str) -> str:
    return stored(
        client,
        "need.raised",
        {
            "household": household_ref(number),
            "need_type": "care",
            "category": "care",
            "urgency": "high",
            "description": "Home care after discharge",
            "raised_by": "civil-affairs",
        },
    )


def supply(client: TestClient) -> dict[str, str]:
    """A provider with a dibao-only offering under contract, another provider, a fund."""

    def provider(name: str) -> str:
        return stored(
            client,
            "provider.registered",
            {
                "name": name,
                "kind": "social_work_provider",
                "region_code": "330106",
                "registered_by": "civil-affairs",
            },
        )

    xinyuan, other = provider(XINYUAN), provider("Another provider")
    offering = stored(
        client,
        "offering.published",
        {
            "provider_id": xinyuan,
            "name": "Home nursing",
            "need_type": "care",
            "category": "care",
            "areas": ["330106002"],
            "capacity": 3,
            "eligibility": {"statuses": ["dibao"]},
            "published_by": "civil-affairs",
        },
    )
    contract = stored(
        client,
        "contract.signed",
        {
            "provider_id": xinyuan,
            "title": "Home care 2026",
            "budget_yuan": "10000.00",
            "signed_by": "civil-affairs",
            "items": [
                {
                    "item_id": "home-care",
                    "name": "Home care",
                    "need_type": "care",
                    "category": "care",
                    "offering_id": offering,
                    "budget_yuan": "10000.00",
                }
            ],
        },
    )
    fund = stored(
        client,
        "fund.opened",
        {"name": "Community fund", "region_code": "330106", "managed_by": "charity-federation"},
    )
    send(
        client,
        "fund.donation_received",
        {
            "fund_id": fund,
            "donor": "Lvyuan Co.",
            "donor_kind": "company",
            "amount_yuan": "10000.00",
            "recorded_by": "cf",
        },
    )
    return {
        "provider": xinyuan,
        "other": other,
        "offering": offering,
        "contract": contract,
        "fund": fund,
    }


def accept(client: TestClient, need_id: str, candidate: str, status: int = 201, **more: Any) -> Any:
    data = {"need_id": need_id, "candidate_id": candidate, "department": "town", **more}
    return send(client, "match.candidate_accepted", data, status)


def reservation(client: TestClient, referral: str, state: str) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        items = client.get("/v1/reservations", params={"limit": 500}).json()["items"]
        return next((r for r in items if r["referral_id"] == referral), None)

    return eventually(found, lambda r: r is not None and r["state"] == state)


def left(client: TestClient, offering: str) -> int:
    return int(client.get(f"/v1/services/{offering}").json()["remaining"])


def deliver(client: TestClient, s: dict[str, str], number: str, status: int, **more: Any) -> Any:
    data = {
        "contract_id": s["contract"],
        "item_id": "home-care",
        "household": household_ref(number),
        "person_times": 1,
        "cost_yuan": "30.00",
        "provider": "xinyuan",
        **more,
    }
    return send(client, "contract.delivery_recorded", data, status)


def referral_step(client: TestClient, kind: str, referral: str, **data: Any) -> None:
    send(client, f"referral.{kind}", {"referral_id": referral, "department": XINYUAN, **data})


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
            "department": "town",
            "to_department": "health",
            "reason": "needs a nurse",
        },
    )
    assert reservation(client, moved, "released")["cause"] == "referral_reassigned"
    kept = accept(client, need(client, "330106195001010022"), s["offering"])["record_id"]
    send(
        client,
        "reservation.released",
        {"referral_id": kept, "reason": "the family moved", "actor": "town"},
    )
    assert reservation(client, kept, "released")["cause"] == "coordinator"
    again = post_event(
        client,
        cloud_event(
            "reservation.released", {"referral_id": kept, "reason": "again", "actor": "town"}
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


def test_a_donors_money_is_followed_to_the_household_and_what_became_of_it(client) -> None:
    s = supply(client)
    hh = household(client, "330106195001010011")
    need_id = need(client, "330106195001010011")
    referral = accept(client, need_id, s["fund"], amount_yuan="2000.00")["record_id"]
    send(
        client,
        "fund.disbursed",
        {"fund_id": s["fund"], "allocation_id": referral, "reference": "bank transfer", "by": "cf"},
    )
    holder = "Community fund"
    for kind, data in (
        ("accepted", {}),
        ("feedback_given", {"content": "paid"}),
        ("completed", {"outcome": "bill covered"}),
        ("followed_up", {"satisfied": True, "note": "doing well"}),
    ):
        send(client, f"referral.{kind}", {"referral_id": referral, "department": holder, **data})
    trace = eventually(
        lambda: client.get(f"/v1/funds/{s['fund']}/trace").json()["paths"],
        lambda p: p and p[0]["outcome"] and p[0]["outcome"]["satisfied"] is True,
    )
    path = trace[0]
    assert (path["donor"], path["household_id"], path["status"]) == ("Lvyuan Co.", hh, "disbursed")
    assert path["outcome"]["outcome"] == "bill covered"
    assert reservation(client, referral, "used")["used_by"] == "disbursement"
    money = client.get(f"/v1/households/{hh}/money").json()
    assert money["paths"][0]["outcome"]["status"] == "followed_up"
    assert [r["state"] for r in money["services"]["reservations"]] == ["used"]
    per_fund = client.get("/v1/statistics/outcomes", params={"by": "fund"}).json()["funds"]
    assert per_fund == [
        {
            "fund_id": s["fund"],
            "name": "Community fund",
            "households": 1,
            "needs": 1,
            "reserved_fen": 0,
            "reserved_yuan": "0.00",
            "disbursed_fen": 200_000,
            "disbursed_yuan": "2000.00",
            "completed": 1,
            "followed_up": 1,
            "satisfied": 1,
            "unsatisfied": 0,
        }
    ]
    events = [
        e["event_type"]
        for e in client.get(f"/v1/households/{hh}/timeline", params={"limit": 100}).json()["items"]
    ]
    for expected in (
        "Triage.CandidateAccepted",
        "Reservation.Made",
        "Fund.Allocated",
        "Fund.Disbursed",
        "Reservation.Used",
        "Referral.FollowedUp",
    ):
        assert expected in events, (expected, events)
    assert events.index("Fund.Allocated") < events.index("Fund.Disbursed")


def test_provider_outcomes_count_deliveries_and_matched_referrals(client) -> None:
    s = supply(client)
    household(client, "330106195001010011")
    referral = accept(client, need(client, "330106195001010011"), s["offering"])["record_id"]
    deliver(client, s, "330106195001010011", 201, referral_id=referral)
    rows = eventually(
        lambda: client.get("/v1/statistics/outcomes", params={"by": "provider"}).json(),
        lambda r: r["providers"] and r["providers"][0]["matched_referrals"] == 1,
    )["providers"]
    assert rows[0]["provider_id"] == s["provider"]
    assert (rows[0]["deliveries"], rows[0]["person_times"], rows[0]["cost_yuan"]) == (1, 1, "30.00")


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
