"""Places, the taxonomy ladder and the policy list over HTTP, as a coordinator meets them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.builders import cloud_event, discovered, household_ref, need_raised
from tests.e2e.conftest import eventually, post_event

NUMBER = "330106198001010011"


def stored(client: TestClient, kind: str, data: dict[str, Any]) -> str:
    response = post_event(client, cloud_event(kind, data))
    assert response.status_code == 201, response.json()
    return str(response.json()["record_id"])


def care_offering(client: TestClient, category: str, location: dict[str, Any] | None) -> str:
    provider = stored(
        client,
        "provider.registered",
        {"name": "Xinyuan", "kind": "social_work_provider", "region_code": "330106", "actor": "ca"},
    )
    data = {
        "provider_id": provider,
        "name": f"{category} service",
        "need_type": "care",
        "category": category,
        "areas": ["330106"],
        "actor": "ca",
    }
    return stored(
        client, "offering.published", {**data, **({"location": location} if location else {})}
    )


def circle_of(client: TestClient, need_id: str, candidate_id: str) -> str:
    found = client.get(f"/v1/needs/{need_id}/candidates").json()["candidates"]
    checks = next(c["checks"] for c in found if c["candidate_id"] == candidate_id)
    reason: str = next(c["reason"] for c in checks if c["rule"] == "circle")
    return reason


def test_a_located_household_is_judged_by_travel_distance_to_a_service_point(client) -> None:
    station = {
        "name": "Day centre",
        "region_code": "330106002",
        "latitude": 30.3,
        "longitude": 120.1,
    }
    offering = care_offering(client, "disability", station)
    stored(client, "household.discovered", discovered(NUMBER))
    need = stored(client, "need.raised", need_raised(NUMBER, need_type="care", category="care"))
    before = eventually(
        lambda: circle_of(client, need, offering), lambda r: "judged by region" in r
    )
    assert "the household has no recorded place" in before
    located = {
        "household": household_ref(NUMBER),
        "latitude": 30.31,
        "longitude": 120.1,
        "source": "village_centroid",
        "reference": "alliance centroids, edition 2026",
        "actor": "civil-affairs",
    }
    assert post_event(client, cloud_event("household.located", located)).status_code == 201
    after = eventually(lambda: circle_of(client, need, offering), lambda r: "by road" in r)
    assert after.startswith("about 1.4 km by road")
    found = client.get(f"/v1/needs/{need}/candidates").json()["candidates"][0]
    assert "by the ladder (edition 1)" in str(found["checks"])


def test_a_place_with_an_unknown_source_is_refused_naming_the_field(client) -> None:
    stored(client, "household.discovered", discovered(NUMBER))
    bad = {
        "household": household_ref(NUMBER),
        "latitude": 30.31,
        "longitude": 120.1,
        "source": "rumour",
        "actor": "civil-affairs",
    }
    response = post_event(client, cloud_event("household.located", bad))
    assert response.status_code == 422
    assert "source" in response.text


def test_in_the_demo_applying_for_dibao_is_matched_to_the_dibao_policy_first(demo_client) -> None:
    queue = demo_client.get("/v1/match-queue", params={"limit": 100}).json()["items"]
    need = next(n for n in queue if n["description"] == "Apply for single-person dibao")
    assert need["best_name"].startswith("Minimum living guarantee")
    found = demo_client.get(f"/v1/needs/{need['need_id']}/candidates").json()["candidates"]
    best = found[0]
    assert best["kind"] == "policy"
    assert 'the need names it ("dibao")' in str(best["checks"])
    assert any(c["name"].startswith("Temporary assistance") for c in found[1:])


def test_in_the_demo_a_care_need_sees_the_disability_care_service_by_the_ladder(
    demo_client,
) -> None:
    queue = demo_client.get("/v1/match-queue", params={"limit": 100}).json()["items"]
    need = next(n for n in queue if n["description"] == "Severe-disability home care")
    found = demo_client.get(f"/v1/needs/{need['need_id']}/candidates").json()["candidates"]
    severe = next(c for c in found if c["name"].startswith("Severe-disability care"))
    assert "by the ladder" in str(severe["checks"])
    circles = [ch["reason"] for c in found for ch in c["checks"] if ch["rule"] == "circle"]
    assert any("km by road" in r for r in circles)
