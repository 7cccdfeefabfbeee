"""A small district for the money tests over HTTP: households, supply, a fund, and helpers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.builders import cloud_event, consented, household_ref
from tests.e2e.conftest import eventually, post_event

VILLAGE = "330106004053"
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
    # the household lets the alliance share its file: referring or matching it needs that
    send(client, "household.consent.given", consented(number))
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
            "areas": ["330106004"],
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
            "recorded_by": "charity-federation",
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
