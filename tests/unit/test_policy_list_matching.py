"""The policy list (政策清单): "apply for 低保" is matched to the 低保 policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.matching.facts import NeedFacts, OfferingFacts, PolicyFacts
from domain.matching.policy import Policy
from domain.matching.policy_list import PolicyTerms
from domain.matching.policy_rules import judge_policy
from domain.matching.rules import judge_offering
from domain.shared.errors import InvalidValue

APPLY = NeedFacts(
    need_id="n1",
    region_code="330106003001",
    need_type="survival",
    category="living",
    urgency="high",
    raised_at=datetime(2026, 5, 1, tzinfo=UTC),
    labels=("disability",),
    birth_years=(1961,),
    description="Apply for single-person dibao",
)
DIBAO = PolicyFacts(
    policy_id="p-dibao",
    code="dibao",
    name="Minimum living guarantee 最低生活保障",
    department="civil-affairs",
    need_type="survival",
    categories=("living",),
    eligibility={},
    not_holding=("tekun",),
    grants="dibao",
    keywords=("dibao", "低保"),
)
TEMPORARY = OfferingFacts(
    offering_id="o-temp",
    provider_id="p1",
    name="Temporary assistance 临时救助",
    need_type="survival",
    category="living",
    areas=("330106",),
    eligibility={},
    capacity=None,
)


def test_a_need_asking_for_dibao_ranks_the_dibao_policy_above_temporary_assistance() -> None:
    policy = judge_policy(APPLY, DIBAO, Policy())
    temporary = judge_offering(APPLY, TEMPORARY, Policy())
    assert policy.eligible and temporary.eligible
    assert policy.parts["asked"] == 1000
    assert policy.score > temporary.score
    assert 'the need names it ("dibao")' in str(policy.checks)


def test_the_same_policy_not_named_by_the_need_ranks_without_the_asked_part() -> None:
    other = replace(APPLY, description="Income lost after an accident")
    assert judge_policy(other, DIBAO, Policy()).parts["asked"] == 0


def test_a_household_already_holding_the_status_or_an_excluded_one_is_not_admitted() -> None:
    for held in ("dibao", "tekun"):
        decision = judge_policy(replace(APPLY, statuses=(held,)), DIBAO, Policy())
        assert decision.failed == ("holding",)


def test_the_policys_eligibility_rule_is_applied_like_an_offerings() -> None:
    disabled_only = replace(DIBAO, eligibility={"disability_required": True})
    able = replace(APPLY, labels=())
    assert judge_policy(APPLY, disabled_only, Policy()).eligible
    assert judge_policy(able, disabled_only, Policy()).failed == ("disability",)


def test_a_withdrawn_policy_or_another_category_is_no_candidate() -> None:
    assert judge_policy(APPLY, replace(DIBAO, open=False), Policy()).failed == ("open",)
    legal = replace(APPLY, category="legal")
    assert judge_policy(legal, DIBAO, Policy()).failed == ("type",)


def test_a_policy_is_listed_with_a_category_and_a_department() -> None:
    with pytest.raises(InvalidValue):
        PolicyTerms.parse({"name": "x", "department": "ca", "need_type": "survival"})
    terms = PolicyTerms.parse(
        {
            "name": "Medical assistance 医疗救助",
            "department": "healthcare-security",
            "need_type": "survival",
            "categories": ["medical"],
            "keywords": [" 医疗救助 ", ""],
        }
    )
    assert terms.keywords == ("医疗救助",)
