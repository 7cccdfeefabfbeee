"""The match view's follow-through on SQLite and PostgreSQL: the taxonomy ladder, places,
decisions explained as they were made."""

from __future__ import annotations

import pytest

from domain.households.identity import pseudonymise
from domain.households.place import Place, PlaceSource
from domain.households.vocabulary import Assistance
from domain.matching.policy import Exclusion, Policy
from domain.matching.policy_list import PolicyTerms
from domain.supply.terms import OfferingTerms
from projections.match_queue import queries as q
from projections.match_queue.as_decided import side_by_side
from projections.runtime.sqlite_store import SQLiteViewStore
from tests.builders import NOW
from tests.integration.views.test_match_queue_contract import district, follow

pytestmark = pytest.mark.integration


def test_a_disability_care_service_reaches_care_needs_below_an_exact_one(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    severe = d.app.publish_offering(
        provider_id=d.provider,
        terms=OfferingTerms.parse(
            {
                "name": "Severe-disability care",
                "need_type": "care",
                "category": "disability",
                "areas": ["330106"],
                "capacity": 50,
            }
        ),
        by="ca",
        at=NOW,
    ).aggregate_id
    runner.catch_up()
    judged = {c["name"]: c for c in q.candidates(view_store, str(ids["elsewhere"]))}
    assert judged["Severe-disability care"]["eligible"] is True
    assert judged["Severe-disability care"]["score"] < judged["County home care"]["score"]
    legal = {c["candidate_id"] for c in q.candidates(view_store, str(ids["legal"]))}
    assert str(severe) not in legal


def test_a_decision_is_explained_as_made_after_the_rules_and_the_facts_changed(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    need = ids["elsewhere"]
    d.app.reject_candidate(
        need_id=need, candidate_id=ids["elderly_only"], reason="not for her", by="ca", at=NOW
    )
    d.app.accept_candidate(need_id=need, candidate_id=ids["county_care"], by="town", at=NOW)
    d.app.adopt_matching_policy(
        region_code="330106",
        settings=Policy(
            exclusions=(Exclusion(reason="closed list", target=str(ids["county_care"])),)
        ),
        by="ca",
        reason="alliance meeting",
        at=NOW,
    )
    key = pseudonymise(f"33010619800101{5:04d}", "s")
    d.app.end_assistance(
        household_key=key, status=Assistance.DIBAO, by="ca", at=NOW, reason="review"
    )
    runner.catch_up()
    rows = side_by_side(view_store, str(need), NOW)
    assert [(r["action"], r["candidate_id"]) for r in rows] == [
        ("rejected", str(ids["elderly_only"])),
        ("accepted", str(ids["county_care"])),
    ]
    accepted = rows[1]
    assert accepted["reproduced"] is True
    assert accepted["as_decided"]["eligible"] is True
    assert accepted["as_decided"]["policy_version"] == 0
    assert accepted["today"]["eligible"] is False
    assert "policy" in accepted["today"]["failed"]
    assert accepted["today"]["policy_version"] == 1
    assert rows[0]["as_decided"]["failed"] == ["region", "age"]
    assert rows[0]["reproduced"] is True and rows[0]["digest"].startswith("sha256:")


def test_a_household_placed_later_is_judged_by_travel_distance_from_then_on(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    point = {"name": "Day centre", "region_code": "330106002", "latitude": 30.3, "longitude": 120.1}
    station = d.offering("Day centre", ["330106"], 20, location=point)
    runner.catch_up()

    def circle() -> str:
        judged = {c["candidate_id"]: c for c in q.candidates(view_store, str(ids["elsewhere"]))}
        checks = judged[str(station)]["checks"]
        return next(c["reason"] for c in checks if c["rule"] == "circle")

    assert "the household has no recorded place: judged by region" in circle()
    d.app.locate_household(
        household_key=pseudonymise(f"33010619800101{5:04d}", "s"),
        place=Place.parse(30.310, 120.100, PlaceSource.VILLAGE_CENTROID, "alliance 2026"),
        by="ca",
        at=NOW,
    )
    runner.catch_up()
    assert circle().startswith("about 1.4 km by road (1.1 km straight × 1.3), inside")


def test_a_listed_policy_answers_the_needs_of_its_category_until_it_is_withdrawn(
    view_store, tmp_path
) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    terms = PolicyTerms.parse(
        {
            "name": "Care subsidy",
            "department": "civil-affairs",
            "need_type": "care",
            "categories": ["care"],
            "keywords": ["need 5"],
        }
    )
    d.app.list_policy(region_code="330106", code="care-subsidy", terms=terms, by="ca", at=NOW)
    runner.catch_up()
    judged = q.candidates(view_store, str(ids["elsewhere"]))
    best = judged[0]
    assert (best["kind"], best["eligible"], best["parts"]["asked"]) == ("policy", True, 1000)
    others = {c["kind"] for c in q.candidates(view_store, str(ids["old_care"]))}
    assert "policy" in others
    assert "policy" not in {c["kind"] for c in q.candidates(view_store, str(ids["legal"]))}
    d.app.withdraw_policy(
        region_code="330106", code="care-subsidy", reason="budget ended", by="ca", at=NOW
    )
    runner.catch_up()
    after = {c["candidate_id"]: c for c in q.candidates(view_store, str(ids["elsewhere"]))}
    assert after[best["candidate_id"]]["failed"] == "open"
    d.app.accept_candidate(need_id=ids["old_care"], candidate_id=ids["county_care"], by="t", at=NOW)
    runner.catch_up()
    reference = SQLiteViewStore(tmp_path / "reference.db")
    follow(d.app, reference)
    assert reference.checksum(runner.views[0]) == view_store.checksum(runner.views[0])
