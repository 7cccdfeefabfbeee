"""The taxonomy ladder: related categories answer a need, below an exact one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.matching.facts import NeedFacts, OfferingFacts
from domain.matching.ladder import LATEST_EDITION, ladder
from domain.matching.policy import Policy
from domain.matching.rules import judge_offering
from domain.shared.errors import InvalidValue
from domain.shared.taxonomy import Category

GRADE_1_CARE = NeedFacts(
    need_id="n1",
    region_code="330106001001",
    need_type="care",
    category="care",
    urgency="high",
    raised_at=datetime(2026, 5, 1, tzinfo=UTC),
    labels=("disability",),
)
SEVERE_DISABILITY_CARE = OfferingFacts(
    offering_id="o1",
    provider_id="p1",
    name="Severe-disability home care",
    need_type="care",
    category="disability",
    areas=("330106",),
    eligibility={},
    capacity=None,
)


def test_a_care_need_can_be_served_by_a_disability_care_service() -> None:
    decision = judge_offering(GRADE_1_CARE, SEVERE_DISABILITY_CARE, Policy())
    assert decision.eligible
    assert "by the ladder (edition 1)" in decision.checks[1].reason


def test_an_exact_category_ranks_above_a_related_one_when_all_else_is_equal() -> None:
    exact = replace(SEVERE_DISABILITY_CARE, offering_id="o2", category="care")
    related = judge_offering(GRADE_1_CARE, SEVERE_DISABILITY_CARE, Policy())
    same = judge_offering(GRADE_1_CARE, exact, Policy())
    assert same.parts["taxonomy"] > related.parts["taxonomy"]
    assert same.score > related.score


def test_a_policy_on_edition_0_matches_categories_exactly() -> None:
    decision = judge_offering(GRADE_1_CARE, SEVERE_DISABILITY_CARE, Policy(ladder=0))
    assert decision.failed == ("type",)


def test_an_unrelated_category_never_fits() -> None:
    legal = replace(SEVERE_DISABILITY_CARE, category="legal")
    assert judge_offering(GRADE_1_CARE, legal, Policy()).failed == ("type",)


def test_the_ladder_is_read_both_ways_consistently() -> None:
    rungs = ladder(LATEST_EDITION)
    for need in Category:
        for service in rungs.categories_for(need.value):
            assert need.value in rungs.needs_served_by(service)


def test_every_category_of_the_shipped_ladder_is_one_of_the_taxonomy() -> None:
    rungs = ladder(LATEST_EDITION)
    known = {c.value for c in Category}
    assert set(rungs.serves) <= known
    assert {s for rung in rungs.serves.values() for s in rung} <= known


def test_a_policy_naming_an_edition_that_is_not_shipped_is_refused() -> None:
    with pytest.raises(InvalidValue):
        Policy.parse({"ladder": LATEST_EDITION + 1})
    assert Policy.parse({}).ladder == LATEST_EDITION
