"""Temporary assistance (临时救助) is a one-off grant with an amount, any number of times."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import cloud_event, discovered, household_ref
from tests.e2e.conftest import eventually, post_event


def grant(client: TestClient, yuan: str) -> object:
    data = {
        "household": household_ref(),
        "amount_yuan": yuan,
        "reason": "tuition",
        "actor": "civil-affairs",
    }
    return post_event(client, cloud_event("household.temporary_assistance_granted", data))


def test_a_household_can_receive_temporary_assistance_again_and_each_grant_has_its_amount(
    client: TestClient,
) -> None:
    created = post_event(client, cloud_event("household.discovered", discovered()))
    household = created.json()["record_id"]
    assert grant(client, "2500.00").status_code == 201
    assert grant(client, "800.50").status_code == 201
    old_style = {"household": household_ref(), "status": "temporary", "department": "civil-affairs"}
    assert (
        post_event(client, cloud_event("household.assistance_granted", old_style)).status_code
        == 201
    )
    file = eventually(
        lambda: client.get(f"/v1/households/{household}").json(),
        lambda f: len(f.get("temporary_grants", [])) == 3,
    )
    assert [g["amount_fen"] for g in file["temporary_grants"]] == [250000, 80050, None]
    assert "temporary" not in file["assistance"]
    ended = post_event(
        client,
        cloud_event(
            "household.assistance_ended",
            {**old_style, "reason": "paid"},
        ),
    )
    assert ended.status_code == 409 and "one-off" in ended.text
