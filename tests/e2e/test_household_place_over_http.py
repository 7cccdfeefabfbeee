"""A household's place over HTTP: the point sealed, matching judged from its coarse cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from services.auth.principal import Principal, Role
from tests.builders import cloud_event, discovered, household_ref, need_raised
from tests.e2e.conftest import eventually, post_event
from tests.e2e.test_matching_follow_through_over_http import care_offering, circle_of, stored

NUMBER = "330106198001010011"
# The point is kept to three decimals (30.274, 120.155); its cell is (30.27, 120.16).
LOCATED = {
    "household": household_ref(NUMBER),
    "latitude": 30.2741,
    "longitude": 120.1551,
    "source": "home_visit",
    "reference": "visit of 2026-11-20",
    "actor": "civil-affairs",
}
STATION = {"name": "Day centre", "region_code": "330106002", "latitude": 30.3, "longitude": 120.1}
CELL = {"latitude": 30.27, "longitude": 120.16}


def a_located_household_with_a_need(client: TestClient) -> tuple[str, str]:
    offering = care_offering(client, "care", STATION)
    stored(client, "household.discovered", discovered(NUMBER))
    need = stored(client, "need.raised", need_raised(NUMBER, need_type="care", category="care"))
    stored(client, "household.located", LOCATED)
    eventually(lambda: circle_of(client, need, offering), lambda r: "by road" in r)
    return need, offering


def place_of(client: TestClient, need: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/needs/{need}/candidates").json()["need"]["place"])


def test_the_point_is_in_no_file_while_matching_judges_from_its_cell(
    client: TestClient, tmp_path: Path
) -> None:
    need, offering = a_located_household_with_a_need(client)
    # 6.7 km straight from the cell to the station (the point itself is 6.0 km from it).
    assert circle_of(client, need, offering).startswith("about 8.7 km by road (6.7 km straight")
    on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for precise in (b"30.274", b"120.155"):
        assert precise not in on_disk
    place = place_of(client, need)
    assert {k: place[k] for k in CELL} == CELL and place["source"] == "home_visit"
    assert place["point"] == {
        "latitude": "30.274",
        "longitude": "120.155",
    }  # the signed-in caller may read clear


def test_a_coordinator_outside_the_region_sees_the_cell_and_one_inside_the_point(
    client: TestClient,
) -> None:
    need, _ = a_located_household_with_a_need(client)
    container = client.app.state.container  # type: ignore[attr-defined]
    stored_place = container.store.scalar(
        "SELECT place FROM match_needs WHERE need_id = :n", {"n": need}
    )
    assert "enc:v1:" in str(stored_place) and "30.274" not in str(stored_place)

    def sees(role: Role, region: str) -> Any:
        caller = Principal(subject="s", kind="account", role=role, actor="x", region=region)
        return container.revealer.for_caller(caller).text(str(stored_place))

    inside, outside = sees(Role.COORDINATOR, "330106"), sees(Role.COORDINATOR, "330107")
    assert "30.274" in inside and "120.155" in inside
    assert "30.274" not in outside and "[redacted]" in outside and "30.27" in outside


def test_after_erasure_the_point_reads_erased_and_matching_still_judges_by_the_cell(
    client: TestClient,
) -> None:
    need, offering = a_located_household_with_a_need(client)
    erasure = {
        "household": household_ref(NUMBER),
        "actor": "civil-affairs",
        "reason": "PIPL art. 47: the person asked for deletion",
    }
    assert post_event(client, cloud_event("household.erased", erasure)).status_code == 201
    place = eventually(
        lambda: place_of(client, need), lambda p: p["point"]["latitude"] == "[erased]"
    )
    assert place["point"] == {"latitude": "[erased]", "longitude": "[erased]"}
    assert {k: place[k] for k in CELL} == CELL
    assert circle_of(client, need, offering).startswith("about 8.7 km by road (6.7 km straight")
    # A new point would be personal data about an erased household: refused.
    assert post_event(client, cloud_event("household.located", LOCATED)).status_code == 409
