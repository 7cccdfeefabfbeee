"""The rules a candidate must pass besides eligibility: type, region, circle, policy, load."""

from __future__ import annotations

import math
from typing import Any

from domain.matching.eligibility import covering_areas
from domain.matching.facts import NeedFacts
from domain.matching.ladder import EXACT, RELATED, ladder
from domain.matching.policy import Policy
from domain.matching.verdicts import FULL, Check
from domain.shared.regions import Level, chain_up, level_of

_LEVEL_ORDER = (Level.VILLAGE.value, Level.TOWN.value, Level.COUNTY.value)
LOCALITY = {Level.VILLAGE.value: 1000, Level.TOWN.value: 700, Level.COUNTY.value: 400}


def type_fits(need: NeedFacts, need_type: str, category: str, policy: Policy) -> tuple[Check, int]:
    """The service's category answers the need's, exactly or by the ladder; and its tier."""
    if category == need.category:
        fit, how = EXACT, f"answers a {need.need_type} need"
    elif why := ladder(policy.ladder).related(need.category, category):
        fit, how = (
            RELATED,
            f"serves a {need.category} need by the ladder (edition {policy.ladder}): {why}",
        )
    else:
        return Check("type", False, f"gives {category} help; the need is {need.category}"), 0
    if need_type != need.need_type and policy.require_need_type:
        return Check(
            "type", False, f"a {need_type} service; the need is {need.need_type} ({category})"
        ), 0
    return Check("type", True, f"{need_type}/{category} {how}"), fit


def region_covered(need: NeedFacts, areas: tuple[str, ...], policy: Policy) -> Check:
    """The household's village, else its town, else its county is in the service area."""
    level = coverage_level(need.region_code, areas)
    if level is None:
        return Check("region", False, f"covers {', '.join(areas)}, not {need.region_code}")
    if _LEVEL_ORDER.index(level) > _LEVEL_ORDER.index(policy.widest_level):
        return Check(
            "region", False, f"covers only at {level} level; policy stops at {policy.widest_level}"
        )
    return Check("region", True, f"covers the household's {level}")


def coverage_level(region_code: str, areas: tuple[str, ...]) -> str | None:
    """The level at which the areas cover the region: village, town, county, or None."""
    # The most specific covering area decides the level: a village area is a village match.
    best = max(set(areas) & set(covering_areas(region_code)), key=len, default=None)
    if best is None:
        return None
    if len(best) >= 12:
        return Level.VILLAGE.value
    if len(best) >= 9:
        return Level.TOWN.value
    return Level.COUNTY.value


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# Roads are longer than the straight line: travel distance is estimated as the great-circle
# distance times this detour factor (README, "Matching": why 1.3).
DETOUR = 1.3


def travel_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Estimated travel distance: great-circle distance × the detour factor."""
    return distance_km(a, b) * DETOUR


def _place(location: dict[str, Any] | None) -> tuple[float, float] | None:
    if not location or location.get("latitude") is None or location.get("longitude") is None:
        return None
    return (float(location["latitude"]), float(location["longitude"]))


def within_circle(
    need: NeedFacts, location: dict[str, Any] | None, policy: Policy
) -> tuple[Check, int]:
    """The ten-minute service circle by travel distance where both ends are placed, else by
    region (saying so); and the distance part of the fit."""
    station = _place(location)
    if station is not None and need.coordinates is not None:
        km = travel_km(need.coordinates, station)
        inside = km <= policy.circle_km
        part = (
            FULL - int(500 * km / policy.circle_km)
            if inside
            else int(500 * policy.circle_km / max(km, 0.001))
        )
        passed = inside or not policy.require_circle
        where = "inside" if inside else "outside"
        return Check(
            "circle",
            passed,
            f"about {km:.1f} km by road ({km / DETOUR:.1f} km straight × {DETOUR}),"
            f" {where} the {policy.circle_km} km ten-minute circle",
        ), part
    missing = (
        "the household has no recorded place"
        if need.coordinates is None
        else "the service point has no coordinates"
    )
    if location and location.get("region_code"):
        code = str(location["region_code"])
        shared = next((c for c in chain_up(need.region_code) if code.startswith(c)), None)
        part = LOCALITY.get(level_of(shared).value, 100) if shared else 100
        return Check(
            "circle", True, f"given in {code}; {missing}: judged by region, not by distance"
        ), part
    if station is not None:
        return Check("circle", True, f"{missing}: judged by region, not by distance"), 0
    return Check("circle", True, "not tied to a place"), 0


def not_excluded(need: NeedFacts, targets: tuple[str, ...], policy: Policy) -> Check:
    """No entry of the policy list rules the candidate out for this need."""
    for e in policy.exclusions:
        if e.target and e.target not in targets:
            continue
        if e.category and e.category != need.category:
            continue
        if e.statuses and not set(e.statuses) & set(need.statuses):
            continue
        return Check("policy", False, f"excluded by the policy list: {e.reason}")
    return Check("policy", True, "no policy-list exclusion applies")


def load_part(remaining: int | None, capacity: int | None) -> int:
    """Free capacity in whole tenths (rounded up), so most single uses leave it unchanged."""
    if capacity is None or remaining is None:
        return FULL
    if capacity <= 0 or remaining <= 0:
        return 0
    return -(-remaining * 10 // capacity) * 100
