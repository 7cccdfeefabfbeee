"""One ledger from donor to outcome over HTTP, and outcomes per fund and per provider."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import eventually
from tests.e2e.money_world import (
    accept,
    deliver,
    household,
    need,
    reservation,
    send,
    supply,
)

pytestmark = pytest.mark.e2e


def test_a_donors_money_is_followed_to_the_household_and_what_became_of_it(client) -> None:
    s = supply(client)
    hh = household(client, "330106195001010011")
    need_id = need(client, "330106195001010011")
    referral = accept(client, need_id, s["fund"], amount_yuan="2000.00")["record_id"]
    send(
        client,
        "fund.disbursed",
        {
            "fund_id": s["fund"],
            "allocation_id": referral,
            "reference": "bank transfer",
            "by": "charity-federation",
        },
    )
    holder, requester = "Community fund", "town"  # the follow-up visit is the requester's
    for kind, by, data in (
        ("accepted", holder, {}),
        ("feedback_given", holder, {"content": "paid"}),
        ("completed", holder, {"outcome": "bill covered"}),
        ("followed_up", requester, {"satisfied": True, "note": "doing well"}),
    ):
        send(client, f"referral.{kind}", {"referral_id": referral, "department": by, **data})
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
