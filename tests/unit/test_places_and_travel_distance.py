"""The ten-minute circle by travel distance where both ends are placed, else by region."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.households.place import Place, PlaceSource, cell_record
from domain.matching.checks import DETOUR, distance_km, travel_km
from domain.matching.facts import NeedFacts, OfferingFacts, coordinates_of
from domain.matching.policy import Policy
from domain.matching.rules import judge_offering
from domain.shared.errors import InvalidValue

HOME = (30.274, 120.155)
NEED = NeedFacts(
    need_id="n1",
    region_code="330106001001",
    need_type="care",
    category="care",
    urgency="high",
    raised_at=datetime(2026, 5, 1, tzinfo=UTC),
    coordinates=HOME,
)
OFFER = OfferingFacts(
    offering_id="o1",
    provider_id="p1",
    name="Day care",
    need_type="care",
    category="care",
    areas=("330106",),
    eligibility={},
    capacity=None,
)


def at_km_north(km: float) -> dict[str, float]:
    """A service point `km` straight north of the household (1° of latitude ≈ 111.2 km)."""
    return {"latitude": HOME[0] + km / 111.195, "longitude": HOME[1]}


def circle(decision: object) -> str:
    return next(c.reason for c in decision.checks if c.rule == "circle")  # type: ignore[attr-defined]


def test_travel_distance_is_the_great_circle_distance_times_the_detour_factor() -> None:
    there = (30.3, 120.2)
    assert travel_km(HOME, there) == pytest.approx(distance_km(HOME, there) * DETOUR)
    assert distance_km(HOME, (HOME[0] + 1, HOME[1])) == pytest.approx(111.195, rel=1e-3)


def test_a_service_point_two_km_away_is_outside_a_two_km_circle_by_road() -> None:
    decision = judge_offering(NEED, replace(OFFER, location=at_km_north(2)), Policy(circle_km=2))
    assert "about 2.6 km by road (2.0 km straight × 1.3), outside the 2 km" in circle(decision)
    assert decision.eligible  # the circle only ranks unless the policy requires it


def test_a_required_circle_rules_out_a_service_point_beyond_it() -> None:
    strict = Policy(circle_km=2, require_circle=True)
    far = judge_offering(NEED, replace(OFFER, location=at_km_north(2)), strict)
    near = judge_offering(NEED, replace(OFFER, location=at_km_north(1)), strict)
    assert far.failed == ("circle",)
    assert near.eligible
    assert near.parts["distance"] > far.parts["distance"]


def test_without_the_households_place_the_circle_says_it_falls_back_to_regions() -> None:
    unplaced = replace(NEED, coordinates=None)
    decision = judge_offering(unplaced, replace(OFFER, location=at_km_north(9)), Policy())
    assert (
        circle(decision) == "the household has no recorded place: judged by region, not by distance"
    )
    assert decision.eligible


def test_a_service_point_without_coordinates_is_judged_by_its_region_and_says_so() -> None:
    station = {"region_code": "330106001001"}
    decision = judge_offering(NEED, replace(OFFER, location=station), Policy(require_circle=True))
    assert "the service point has no coordinates: judged by region" in circle(decision)
    assert decision.eligible and decision.parts["distance"] == 1000


def test_a_households_place_is_kept_coarse_with_its_source() -> None:
    place = Place.parse(30.274149, 120.155071, PlaceSource.GRID_CELL, " cell 12 ")
    assert place.as_record() == {
        "latitude": 30.274,
        "longitude": 120.155,
        "source": "grid_cell",
        "reference": "cell 12",
    }
    assert coordinates_of(place.as_record()) == (30.27, 120.16)
    with pytest.raises(InvalidValue):
        Place.parse(91.0, 120.0, PlaceSource.HOME_VISIT)


def test_matching_reads_a_place_as_its_one_kilometre_cell_with_the_sealed_point_beside_it() -> None:
    place = Place.parse(30.274149, 120.155071, PlaceSource.HOME_VISIT)
    assert place.cell().as_record()["latitude"] == 30.27
    sealed = {"latitude": "enc:v1:a", "longitude": "enc:v1:b"}
    record = cell_record({**place.cell().as_record(), "point": sealed})
    assert record == {
        "latitude": 30.27,
        "longitude": 120.16,
        "source": "home_visit",
        "reference": "",
        "point": sealed,
    }


def test_a_place_recorded_before_sealing_is_read_as_its_cell_and_its_point_not_copied() -> None:
    older = {"latitude": 30.274, "longitude": 120.155, "source": "home_visit", "reference": ""}
    record = cell_record(older)
    assert record is not None and (record["latitude"], record["longitude"]) == (30.27, 120.16)
    assert "point" not in record
    assert coordinates_of(older) == coordinates_of(record)
