"""Which households each offering admits, as the domain's eligibility rule says, stored per pair.

Only offerings that restrict someone get rows (`admits_anyone` on the offering says the rest);
only households inside an offering's areas are judged. A row is a span of years in which the
household is admitted (ages change with the calendar, nothing else does without an event).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from domain.households.labels import birth_years, household_labels
from domain.households.model import Household
from domain.matching.eligibility import (
    HouseholdProfile,
    admits_anyone,
    admitted_years,
    covering_areas,
)
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Row, Tx

HOUSEHOLDS = Table(
    "services_households",
    cols("household_id region_code members:json household_group statuses:json version:int"),
    key=("household_id",),
)
# One row per area that covers the household (every prefix of its code): "who lives in area A"
# is then an indexed lookup.
HOUSEHOLD_AREAS = Table(
    "services_household_areas",
    cols("area household_id"),
    key=("area", "household_id"),
    indexes=(("household_id",),),
)
ADMITTED = Table(
    "services_admitted",
    cols("offering_id household_id first_year:int last_year:int"),
    key=("offering_id", "household_id", "first_year"),
    indexes=(("household_id",),),
)
TABLES = (HOUSEHOLDS, HOUSEHOLD_AREAS, ADMITTED)


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def profile_of(row: Row) -> HouseholdProfile:
    """A household row as the eligibility rule reads it."""
    members = row["members"] or []
    return HouseholdProfile(
        statuses=tuple(row["statuses"] or ()),
        labels=household_labels(members, row["household_group"]),
        birth_years=birth_years(members),
    )


def _write_pairs(tx: Tx, offering_id: str, household: Row, rule: dict[str, Any]) -> None:
    for first, last in admitted_years(profile_of(household), rule):
        tx.upsert(
            "services_admitted",
            {
                "offering_id": offering_id,
                "household_id": household["household_id"],
                "first_year": first,
                "last_year": last,
            },
        )


def _forget(tx: Tx, **where: str) -> None:
    for row in tx.find("services_admitted", **where):
        tx.delete(
            "services_admitted",
            offering_id=row["offering_id"],
            household_id=row["household_id"],
            first_year=row["first_year"],
        )


def judge_household(tx: Tx, household: Row) -> None:
    """Re-judge one household against every restricting offering that covers it."""
    _forget(tx, household_id=household["household_id"])
    areas = tx.find("services_areas", area=list(covering_areas(household["region_code"])))
    ids = sorted({a["offering_id"] for a in areas})
    for chunk in _chunks(ids):
        for offering in tx.find("services_offerings", offering_id=chunk):
            if not offering["admits_anyone"]:
                _write_pairs(tx, offering["offering_id"], household, offering["eligibility"])


def judge_offering(tx: Tx, offering_id: str, areas: Iterable[str], rule: dict[str, Any]) -> None:
    """Re-judge one offering against every household in its areas (none if it admits anyone)."""
    _forget(tx, offering_id=offering_id)
    if admits_anyone(rule):
        return
    found = tx.find("services_household_areas", area=sorted(set(areas)))
    ids = sorted({a["household_id"] for a in found})
    for chunk in _chunks(ids):
        for household in tx.find("services_households", household_id=chunk):
            _write_pairs(tx, offering_id, household, rule)


def _discovered(e: Any, tx: Tx, _: int) -> None:
    household_id = str(e.originator_id)
    row = {
        "household_id": household_id,
        "region_code": e.region_code,
        "members": e.members,
        "household_group": None,
        "statuses": [],
        "version": e.originator_version,
    }
    tx.upsert("services_households", row)
    for area in covering_areas(e.region_code):
        tx.upsert("services_household_areas", {"area": area, "household_id": household_id})
    judge_household(tx, row)


def _changed(e: Any, tx: Tx, _: int) -> None:
    key = {"household_id": str(e.originator_id)}
    row = tx.get("services_households", **key)
    if row is None:
        return
    changes: dict[str, Any] = {"version": e.originator_version}
    if isinstance(e, Household.ReportedAgain):
        if not e.members:
            tx.update("services_households", key, **changes)
            return
        changes["members"] = e.members
    elif isinstance(e, Household.AssistanceGranted):
        changes["statuses"] = sorted({*row["statuses"], e.status})
    elif isinstance(e, Household.AssistanceEnded):
        changes["statuses"] = [s for s in row["statuses"] if s != e.status]
    elif isinstance(e, Household.Assessed):
        changes["household_group"] = e.group
    tx.update("services_households", key, **changes)
    judge_household(tx, {**row, **changes})


def handlers() -> dict[type, Handler]:
    """The household events that change what offerings admit a household."""
    return {
        Household.Discovered: _discovered,
        Household.ReportedAgain: _changed,
        Household.AssistanceGranted: _changed,
        Household.AssistanceEnded: _changed,
        Household.Assessed: _changed,
    }
