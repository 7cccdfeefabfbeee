"""The matching rules and scoring: plain facts in, a decision with its explanation out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from itertools import product
from typing import Any

import pytest

from domain.matching.facts import FundFacts, NeedFacts, OfferingFacts, Pool
from domain.matching.policy import Exclusion, Policy
from domain.matching.rules import judge_fund, judge_offering, priority
from domain.shared.errors import InvalidValue

VILLAGE = "330106002051"
AT = datetime(2026, 11, 20, tzinfo=UTC)


def need(**overrides: Any) -> NeedFacts:
    base = NeedFacts(
        need_id="n1",
        region_code=VILLAGE,
        need_type="care",
        category="care",
        urgency="high",
        raised_at=AT,
        statuses=("dibao",),
        labels=("elderly_alone",),
        birth_years=(1950,),
        circle=2,
    )
    return replace(base, **overrides)


def offering(**overrides: Any) -> OfferingFacts:
    base = OfferingFacts(
        offering_id="o1",
        provider_id="p1",
        name="Home care",
        need_type="care",
        category="care",
        areas=("330106",),
        eligibility={},
        capacity=10,
    )
    return replace(base, **overrides)


def failed(decision: Any) -> set[str]:
    return set(decision.failed)


def test_an_open_offering_of_the_same_type_covering_the_county_is_a_candidate() -> None:
    decision = judge_offering(need(), offering(), Policy())
    assert decision.eligible
    assert decision.level == "county"


def test_a_service_of_another_category_does_not_fit() -> None:
    decision = judge_offering(need(), offering(category="legal"), Policy())
    assert failed(decision) == {"type"}
    assert "gives legal help; the need is care" in decision.checks[1].reason


def test_another_tier_of_the_same_category_fits_only_when_the_policy_allows_it() -> None:
    development = offering(need_type="development")
    assert failed(judge_offering(need(), development, Policy())) == {"type"}
    assert judge_offering(need(), development, Policy(require_need_type=False)).eligible


@pytest.mark.parametrize(
    ("area", "level"),
    [(VILLAGE, "village"), ("330106002", "town"), ("330106", "county"), ("33", "county")],
)
def test_coverage_falls_back_from_village_to_town_to_county(area: str, level: str) -> None:
    assert judge_offering(need(), offering(areas=(area,)), Policy()).level == level


def test_a_service_area_elsewhere_does_not_cover_the_household() -> None:
    decision = judge_offering(need(), offering(areas=("330106004",)), Policy())
    assert failed(decision) == {"region"}


def test_the_policy_can_stop_the_fallback_at_the_town() -> None:
    decision = judge_offering(need(), offering(), Policy(widest_level="town"))
    assert failed(decision) == {"region"}
    assert "policy stops at town" in str(decision.checks)


def test_the_ten_minute_circle_is_measured_when_both_ends_have_coordinates() -> None:
    station = {"name": "s", "region_code": VILLAGE, "latitude": 30.0, "longitude": 120.0}
    near, far = need(coordinates=(30.01, 120.0)), need(coordinates=(30.2, 120.0))
    strict = Policy(require_circle=True)
    assert judge_offering(near, offering(location=station), strict).eligible
    assert failed(judge_offering(far, offering(location=station), strict)) == {"circle"}
    lenient = judge_offering(far, offering(location=station), Policy())
    assert lenient.eligible
    assert (
        lenient.parts["distance"]
        < judge_offering(near, offering(location=station), Policy()).parts["distance"]
    )


def test_without_household_coordinates_the_circle_is_judged_by_region() -> None:
    station = {"name": "s", "region_code": VILLAGE}
    decision = judge_offering(need(), offering(location=station), Policy(require_circle=True))
    assert decision.eligible
    assert decision.parts["distance"] == 1000
    assert "the household has no recorded place: judged by region" in str(decision.checks)


@pytest.mark.parametrize(
    ("rule", "eligibility", "household"),
    [
        ("statuses", {"statuses": ["tekun"]}, {}),
        ("groups", {"groups": ["single_parent"]}, {}),
        ("age", {"minimum_age": 80}, {}),
        ("age", {"maximum_age": 18}, {}),
        ("disability", {"disability_required": True}, {}),
    ],
)
def test_each_eligibility_rule_refuses_a_household_outside_it(
    rule: str, eligibility: dict[str, Any], household: dict[str, Any]
) -> None:
    assert failed(
        judge_offering(need(**household), offering(eligibility=eligibility), Policy())
    ) == {rule}


def test_a_household_inside_every_eligibility_rule_is_admitted() -> None:
    rule = {
        "statuses": ["dibao", "tekun"],
        "groups": ["elderly_alone"],
        "minimum_age": 60,
        "disability_required": True,
    }
    household = need(labels=("disability", "elderly_alone"))
    decision = judge_offering(household, offering(eligibility=rule), Policy())
    assert decision.eligible
    assert {c.rule for c in decision.checks} >= {"statuses", "groups", "age", "disability"}


def test_no_capacity_left_this_month_rules_the_offering_out() -> None:
    decision = judge_offering(need(), offering(capacity=2, used=2), Policy())
    assert failed(decision) == {"capacity"}
    assert "0 of 2 left this month" in str(decision.checks)


def test_a_closed_offering_is_not_a_candidate() -> None:
    assert failed(judge_offering(need(), offering(open=False), Policy())) == {"open"}


def test_the_policy_list_excludes_with_its_reason() -> None:
    exclusion = Exclusion(reason="supported instead", category="care", statuses=("dibao",))
    decision = judge_offering(need(), offering(), Policy(exclusions=(exclusion,)))
    assert failed(decision) == {"policy"}
    assert "supported instead" in str(decision.checks)
    other = need(statuses=("dibian",))
    assert judge_offering(other, offering(), Policy(exclusions=(exclusion,))).eligible


def test_a_nearer_service_outranks_a_county_wide_one() -> None:
    village = judge_offering(need(), offering(areas=(VILLAGE,)), Policy())
    county = judge_offering(need(), offering(), Policy())
    assert village.score > county.score


def test_a_less_loaded_provider_outranks_a_busier_one() -> None:
    idle = judge_offering(need(), offering(used=1), Policy())
    busy = judge_offering(need(), offering(used=9), Policy())
    assert idle.parts["load"] > busy.parts["load"]
    assert idle.score > busy.score


def test_weights_change_the_order() -> None:
    near_busy = offering(areas=(VILLAGE,), used=9)
    far_idle = offering(used=0)
    by_distance = Policy(weights={"distance": 10, "load": 1, "earmark_fit": 0})
    by_load = Policy(weights={"distance": 1, "load": 10, "earmark_fit": 0})
    assert (
        judge_offering(need(), near_busy, by_distance).score
        > judge_offering(need(), far_idle, by_distance).score
    )
    assert (
        judge_offering(need(), near_busy, by_load).score
        < judge_offering(need(), far_idle, by_load).score
    )


@pytest.mark.parametrize(
    "case",
    list(product(("care", "legal"), (("330106",), ("330105",)), (0, 5), (False, True))),
)
def test_the_explanation_matches_the_decision(case: tuple[Any, ...]) -> None:
    category, areas, used, excluded = case
    policy = Policy(exclusions=(Exclusion(reason="x", target="p1"),) if excluded else ())
    decision = judge_offering(
        need(), offering(category=category, areas=areas, capacity=5, used=used), policy
    )
    assert decision.eligible == all(c.passed for c in decision.checks)
    assert set(decision.failed) == {c.rule for c in decision.checks if not c.passed}
    expected = {
        "type": category != "care",
        "region": areas != ("330106",),
        "capacity": used == 5,
        "policy": excluded,
    }
    assert set(decision.failed) == {rule for rule, fails in expected.items() if fails}
    assert all(c.reason for c in decision.checks)


def fund(*pools: Pool) -> FundFacts:
    return FundFacts("f1", "Charity fund", "330106", pools)


def test_a_fund_is_a_candidate_when_an_admitting_pool_holds_a_grant() -> None:
    decision = judge_fund(need(), fund(Pool(None, 300_000)), Policy())
    assert decision.eligible
    assert failed(judge_fund(need(), fund(Pool(None, 100_000)), Policy())) == {"money"}


def test_money_earmarked_for_another_group_does_not_admit_the_need() -> None:
    decision = judge_fund(need(), fund(Pool({"group": "single_parent"}, 900_000)), Policy())
    assert failed(decision) == {"money"}
    assert "earmarks do not admit" in str(decision.checks)


def test_money_earmarked_for_the_households_group_fits_better_than_free_money() -> None:
    earmarked = judge_fund(need(), fund(Pool({"group": "elderly_alone"}, 300_000)), Policy())
    free = judge_fund(need(), fund(Pool(None, 300_000)), Policy())
    assert earmarked.parts["earmark_fit"] > free.parts["earmark_fit"]


def test_urgency_then_circle_make_a_needs_priority() -> None:
    policy = Policy()
    critical = priority(need(urgency="critical", circle=3), policy)
    high = priority(need(urgency="high", circle=1), policy)
    high_outer = priority(need(urgency="high", circle=3), policy)
    assert critical > high > high_outer


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"weights": {"speed": 1}}, "weights.speed"),
        ({"weights": {"load": -1}}, "weights.load"),
        ({"widest_level": "province"}, "widest_level"),
        ({"exclusions": [{"reason": "x"}]}, "exclusions[0]"),
    ],
)
def test_a_malformed_policy_is_refused_naming_the_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Policy.parse(raw)
    assert refused.value.field == field
