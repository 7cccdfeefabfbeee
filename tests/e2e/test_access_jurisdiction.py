"""Two towns, two coordinators: each sees and opens nothing of the other's (out of
jurisdiction is 404, exactly as missing)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.auth.principal import Role
from tests.builders import cloud_event, consented, discovered, need_raised
from tests.e2e.conftest import as_role, eventually, post_event

TOWNS = {"330106002": "330106198001010011", "330106004": "330106198001010022"}
VILLAGES = {"330106002": "330106002051", "330106004": "330106004053"}  # one real village each
LISTS = (
    "/v1/needs", "/v1/households", "/v1/referrals?open=false", "/v1/pairings", "/v1/funds",
    "/v1/contracts", "/v1/services", "/v1/resources", "/v1/statistics", "/v1/match-queue",
    "/v1/match-gaps", "/v1/statistics/on-time", "/v1/screening/alerts",
)  # fmt: skip
PAGES = ("/ui/needs?format=csv", "/ui/households?format=csv", "/ui/referrals?format=csv")


def regions_in(value: Any) -> set[str]:
    """Every region code anywhere in a JSON answer."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k == "region_code" and isinstance(v, str)}
        return found.union(*(regions_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(regions_in(v) for v in value))
    return set()


@pytest.fixture
def two_towns(client: TestClient) -> dict[str, dict[str, str]]:
    """A household with a need and a referral in each town."""
    made = {}
    for town, number in TOWNS.items():
        post_event(client, cloud_event("household.discovered", discovered(number, VILLAGES[town])))
        post_event(client, cloud_event("household.consent.given", consented(number)))
        need = post_event(client, cloud_event("need.raised", need_raised(number))).json()
        referral = post_event(
            client,
            cloud_event(
                "referral.requested",
                {"need_id": need["record_id"], "from_department": "civil-affairs",
                 "to_department": "hrss"},
            ),
        ).json()  # fmt: skip
        made[town] = {"need": need["record_id"], "referral": referral["record_id"]}
    needs = eventually(lambda: client.get("/v1/needs").json(), lambda p: p["total"] == 2)
    for item in needs["items"]:
        made[item["region_code"][:9]]["household"] = item["household_id"]
    eventually(lambda: client.get("/v1/referrals?open=false").json(), lambda p: p["total"] == 2)
    return made


@pytest.mark.parametrize("path", LISTS)
def test_a_towns_coordinator_lists_only_its_own_town(
    client: TestClient, two_towns: dict, path: str
) -> None:
    everything = client.get(path)
    assert everything.status_code == 200, everything.text
    for town in TOWNS:
        mine = as_role(client, Role.COORDINATOR, region=town).get(path)
        assert mine.status_code == 200, mine.text
        assert all(code.startswith(town) for code in regions_in(mine.json())), path
    if path in ("/v1/needs", "/v1/households", "/v1/referrals?open=false"):
        town_one = as_role(client, Role.COORDINATOR, region="330106002").get(path).json()
        assert town_one["total"] == 1 and everything.json()["total"] == 2


@pytest.mark.parametrize("path", PAGES)
def test_a_towns_coordinator_exports_only_its_own_town(
    client: TestClient, two_towns: dict, path: str
) -> None:
    exported = as_role(client, Role.COORDINATOR, region="330106002").get(path)
    assert exported.status_code == 200
    # exports name regions by the division list: 北山街道 is 330106002, 西溪街道 330106004
    assert "北山街道" in exported.text and "西溪街道" not in exported.text


def test_a_record_of_the_other_town_answers_404_as_a_missing_one(
    client: TestClient, two_towns: dict
) -> None:
    coordinator = as_role(client, Role.COORDINATOR, region="330106002")
    theirs, mine = two_towns["330106004"], two_towns["330106002"]
    missing = "00000000-0000-4000-8000-000000000000"
    for template in (
        "/v1/households/{household}", "/v1/households/{household}/timeline",
        "/v1/households/{household}/money", "/v1/needs/{need}", "/v1/referrals/{referral}",
        "/ui/households/{household}",
    ):  # fmt: skip
        assert coordinator.get(template.format(**mine)).status_code == 200, template
        other = coordinator.get(template.format(**theirs))
        absent = coordinator.get(template.format(household=missing, need=missing,
                                                 referral=missing))  # fmt: skip
        assert other.status_code == absent.status_code == 404, template
        if "/ui/" not in template:
            assert other.json()["title"] == absent.json()["title"] == "Not found"


def test_a_region_filter_outside_the_jurisdiction_is_refused_and_a_wider_one_narrowed(
    client: TestClient, two_towns: dict
) -> None:
    coordinator = as_role(client, Role.COORDINATOR, region="330106002")
    outside = coordinator.get("/v1/needs", params={"region": "330106004"})
    assert outside.status_code == 403 and "jurisdiction" in outside.json()["title"]
    wider = coordinator.get("/v1/needs", params={"region": "330106"}).json()
    assert wider["total"] == 1 and wider["items"][0]["region_code"].startswith("330106002")
    assert coordinator.get("/ui/needs", params={"region": "330106004"}).status_code == 403


def test_audit_replays_are_the_auditors_alone(client: TestClient, two_towns: dict) -> None:
    coordinator = as_role(client, Role.COORDINATOR, region="330106002")
    assert coordinator.get("/v1/audit/views/needs_list").status_code == 403
    assert as_role(client, Role.AUDITOR).get("/v1/audit/views/needs_list").status_code != 403


def test_a_provider_sees_only_the_referrals_it_holds(client: TestClient, two_towns: dict) -> None:
    provider = as_role(client, Role.PROVIDER)  # of the provider "xinyuan"
    listed = provider.get("/v1/referrals?open=false").json()
    assert listed["total"] == 0  # both are held by hrss
    held_by_hrss = two_towns["330106002"]["referral"]
    assert provider.get(f"/v1/referrals/{held_by_hrss}").status_code == 404
    assert provider.get("/v1/households").status_code == 403
