"""Supply side over HTTP: money from donor to household and back, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import cloud_event, household_ref
from tests.e2e.conftest import eventually, post_event

pytestmark = pytest.mark.e2e
VILLAGE = "330106004053"


def stored(client: TestClient, kind: str, data: dict[str, Any]) -> str:
    """Publish an event that must be taken; return the id of the record it changed."""
    response = post_event(client, cloud_event(kind, data))
    assert response.status_code == 201, response.json()
    return str(response.json()["record_id"])


def household_with_need(client: TestClient, number: str = "330106198601010022") -> str:
    stored(
        client,
        "household.discovered",
        {
            "household": household_ref(number),
            "region_code": VILLAGE,
            "channel": "cadre_check",
            "reported_by": "village-cadre-li",
            "members": [
                {"relation": "head", "birth_year": 1986, "circumstances": ["single_parent"]}
            ],
        },
    )
    return stored(
        client,
        "need.raised",
        {
            "household": household_ref(number),
            "need_type": "survival",
            "category": "education",
            "urgency": "high",
            "description": "Tuition for the autumn term",
            "raised_by": "civil-affairs",
        },
    )


def fund_with_donations(client: TestClient) -> str:
    fund = stored(
        client,
        "fund.opened",
        {"name": "Community fund", "region_code": "330106", "managed_by": "charity-federation"},
    )
    for donor, amount in (
        ("Lvyuan Co.", {"amount_yuan": "1234.56"}),
        ("Zhang Wei", {"amount_fen": 50_000}),
    ):
        stored(
            client,
            "fund.donation_received",
            {
                "fund_id": fund,
                "donor": donor,
                "donor_kind": "company",
                "recorded_by": "charity-federation",
                **amount,
            },
        )
    return fund


def test_a_donation_followed_to_a_household_and_back_reconciles_to_the_fen(
    client: TestClient,
) -> None:
    need = household_with_need(client)
    fund = fund_with_donations(client)
    stored(
        client,
        "fund.disbursed",
        {
            "fund_id": fund,
            "need_id": need,
            "amount_yuan": "1500.01",
            "by": "charity-federation",
            "reference": "t",
        },
    )
    trace = eventually(
        lambda: client.get(f"/v1/funds/{fund}/trace").json(), lambda t: len(t["paths"]) == 2
    )
    # Oldest donation first: all of Lvyuan's 123,456 fen, then 26,545 of Zhang Wei's.
    assert [(p["donor"], p["amount_fen"], p["status"]) for p in trace["paths"]] == [
        ("Lvyuan Co.", 123_456, "disbursed"),
        ("Zhang Wei", 26_545, "disbursed"),
    ]
    household = trace["paths"][0]["household_id"]
    back = client.get(f"/v1/households/{household}/money").json()
    assert back["disbursed_fen"] == 150_001
    assert {d["donor"]: d["amount_fen"] for d in back["by_donor"]} == {
        "Lvyuan Co.": 123_456,
        "Zhang Wei": 26_545,
    }
    balance = client.get(f"/v1/funds/{fund}").json()
    assert balance["received_fen"] == 173_456
    assert balance["disbursed_fen"] == 150_001
    assert balance["available_fen"] == balance["free_fen"] == 23_455
    assert balance["available_yuan"] == "234.55"


def test_overspending_a_fund_is_refused_with_the_balance_and_nothing_is_stored(
    client: TestClient,
) -> None:
    need = household_with_need(client)
    fund = fund_with_donations(client)
    head = client.get("/v1/health").json()["log_head"]
    response = post_event(
        client,
        cloud_event(
            "fund.disbursed",
            {
                "fund_id": fund,
                "need_id": need,
                "amount_yuan": "1734.57",
                "by": "charity-federation",
            },
        ),
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "fund 'Community fund' has 1,734.56 yuan of free (unearmarked) money;"
        " cannot allocate 1,734.57 yuan"
    )
    assert client.get("/v1/health").json()["log_head"] == head


def test_earmarked_money_refuses_a_household_outside_the_earmark(client: TestClient) -> None:
    need = household_with_need(client)
    fund = fund_with_donations(client)
    stored(
        client,
        "fund.earmarked",
        {
            "fund_id": fund,
            "earmark": {"group": "sanitation_workers"},
            "amount_fen": 1000,
            "by": "charity-federation",
        },
    )
    response = post_event(
        client,
        cloud_event(
            "fund.allocated",
            {
                "fund_id": fund,
                "need_id": need,
                "amount_fen": 500,
                "earmark": {"group": "sanitation_workers"},
                "by": "charity-federation",
            },
        ),
    )
    assert response.status_code == 409
    assert (
        "earmarked for group sanitation_workers cannot go to a education need"
        in (response.json()["detail"])
    )


def contract_for(client: TestClient) -> tuple[str, str]:
    provider = stored(
        client,
        "provider.registered",
        {
            "name": "Xinyuan social work",
            "kind": "social_work_provider",
            "region_code": "330106",
            "registered_by": "civil-affairs",
        },
    )
    offering = stored(
        client,
        "offering.published",
        {
            "provider_id": provider,
            "name": "Tutoring",
            "need_type": "development",
            "category": "education",
            "areas": ["330106004"],
            "capacity": 10,
            "published_by": "civil-affairs",
        },
    )
    contract = stored(
        client,
        "contract.signed",
        {
            "provider_id": provider,
            "title": "2026 services",
            "budget_yuan": "1000.00",
            "signed_by": "civil-affairs",
            "items": [
                {
                    "item_id": "tutoring",
                    "name": "Tutoring",
                    "need_type": "development",
                    "category": "education",
                    "offering_id": offering,
                    "budget_yuan": "100.00",
                }
            ],
        },
    )
    return contract, offering


def test_overspending_a_contract_item_is_refused_and_leaves_capacity_untouched(
    client: TestClient,
) -> None:
    household_with_need(client)
    contract, offering = contract_for(client)
    delivery = {
        "contract_id": contract,
        "item_id": "tutoring",
        "household": household_ref("330106198601010022"),
        "person_times": 2,
        "provider": "xinyuan",
    }
    stored(client, "contract.delivery_recorded", {**delivery, "cost_yuan": "80.00"})
    response = post_event(
        client, cloud_event("contract.delivery_recorded", {**delivery, "cost_yuan": "30.00"})
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "contract item 'Tutoring' has 20.00 yuan left of 100.00 yuan;"
        " this delivery costs 30.00 yuan"
    )
    items = eventually(
        lambda: client.get(f"/v1/contracts/{contract}").json().get("items"),
        lambda i: bool(i) and i[0]["deliveries"] == 1,  # the view may not have the contract yet
    )
    assert (items[0]["remaining_fen"], items[0]["used"]) == (2_000, 2)
    assert client.get(f"/v1/services/{offering}").json()["used"] == 2
    stats = client.get("/v1/statistics", params={"by": "provider", "kind": "delivery"}).json()
    assert (stats["person_times"], stats["amount_yuan"]) == (2, "80.00")


def test_the_services_list_covers_villages_by_prefix_and_filters_by_capacity(
    client: TestClient,
) -> None:
    contract_for(client)
    inside = eventually(
        lambda: client.get("/v1/services", params={"covers": "330106004053"}).json(),
        lambda p: p["total"] == 1,
    )
    assert inside["items"][0]["remaining"] == 10
    outside = client.get("/v1/services", params={"covers": "330106005001"}).json()
    assert outside["total"] == 0


def test_yuan_with_more_than_two_decimals_is_refused_by_the_schema(client: TestClient) -> None:
    fund = fund_with_donations(client)
    response = post_event(
        client,
        cloud_event(
            "fund.donation_received",
            {
                "fund_id": fund,
                "donor": "x",
                "donor_kind": "individual",
                "amount_yuan": "1.005",
                "recorded_by": "charity-federation",
            },
        ),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.amount_yuan"
