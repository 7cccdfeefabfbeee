"""Screening rules: CEL over the fact model, checked when adopted, judged per household."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from domain.screening.facts import VARIABLES, HouseholdFacts
from domain.screening.feeds import feed_status, following
from domain.screening.packs import pack_rules
from domain.screening.rules import Rule, RuleSet, check_expression, evidence, satisfies
from domain.shared.errors import InvalidValue
from harness.households import EXAMPLE_RULE, MONITORING_LIST

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def household(**changes) -> HouseholdFacts:
    facts = HouseholdFacts(household_key="hh_" + "0" * 32, region="330106002051")
    facts.apply_household(
        "Discovered",
        SimpleNamespace(
            household_key=facts.household_key,
            region_code=facts.region,
            members=changes.pop(
                "members",
                [
                    {"relation": "head", "birth_year": 1958, "disability_grade": 1},
                    {"relation": "spouse", "birth_year": 1960, "circumstances": []},
                ],
            ),
        ),
    )
    for status in changes.pop("statuses", ()):
        facts.apply_household(
            "AssistanceGranted", SimpleNamespace(status=status, granted_at=NOW, by="ca")
        )
    if "risk" in changes:
        facts.apply_list_row(MONITORING_LIST, "2026-10", NOW, {"risk": changes.pop("risk")})
    assert not changes
    return facts


def judged(expression: str, facts: HouseholdFacts) -> bool:
    check_expression(expression)
    return satisfies(expression, facts.as_cel(NOW))


def test_the_reports_example_rule_is_expressible_and_true_only_when_all_three_hold() -> None:
    assert judged(EXAMPLE_RULE, household(risk="not_eliminated"))
    assert not judged(EXAMPLE_RULE, household(risk="eliminated"))
    assert not judged(EXAMPLE_RULE, household(risk="not_eliminated", statuses=["dibao"]))
    assert not judged(
        EXAMPLE_RULE,
        household(risk="not_eliminated", members=[{"relation": "head", "birth_year": 1970}]),
    )
    assert not judged(EXAMPLE_RULE, household())


def test_the_flat_facts_say_the_same_as_the_members_list() -> None:
    fast = 'monitoring_risk == "not_eliminated" && disabled > 0 && !("dibao" in statuses)'
    for facts in (household(risk="not_eliminated"), household(risk="eliminated"), household()):
        assert judged(fast, facts) == judged(EXAMPLE_RULE, facts)


def test_a_syntax_error_is_refused_naming_the_position() -> None:
    with pytest.raises(InvalidValue, match=r"not valid CEL.*1:12"):
        check_expression("disabled > ")


def test_an_unknown_fact_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(InvalidValue, match=r"unknown fact.*dibao_since.*the facts are"):
        check_expression("dibao_since > 3")


def test_a_misspelt_member_field_is_refused() -> None:
    with pytest.raises(InvalidValue, match=r"unknown field.*disabilty_grade"):
        check_expression("members.exists(m, m.disabilty_grade > 0)")


def test_words_inside_strings_are_not_taken_for_fields() -> None:
    check_expression('group == "a.b.not_a_field"')


def test_a_rule_that_is_not_true_or_false_is_refused() -> None:
    with pytest.raises(InvalidValue, match="true or false"):
        check_expression("people + 1")


def test_dates_of_assistance_statuses_can_be_compared() -> None:
    facts = household(statuses=["dibao"])
    assert judged('assistance.dibao.since <= now && "dibao" in statuses', facts)
    old = facts.as_cel(NOW + timedelta(days=400))
    assert satisfies('now - assistance.dibao.since > duration("8760h")', old)


def test_an_evaluation_error_counts_as_not_satisfied_and_the_others_are_still_judged() -> None:
    rules = [
        Rule("a", 1, "a", 'lists["court/judicial-aid"].level == "x"'),
        Rule("b", 1, "b", "disabled > 0"),
    ]
    assert RuleSet(rules).evaluate(household(), NOW) == [False, True]


def test_evidence_names_only_the_facts_the_rule_reads() -> None:
    facts = household(risk="not_eliminated").as_cel(NOW)
    shown = evidence(EXAMPLE_RULE, facts)
    assert set(shown) == {"monitoring_risk", "members", "assistance"}
    assert shown["monitoring_risk"] == "not_eliminated"


def test_every_documented_fact_is_in_the_fact_map() -> None:
    assert set(household().as_cel(NOW)) == set(VARIABLES)


def test_the_standing_checks_pack_has_six_checks_each_with_its_fix() -> None:
    rules = pack_rules("standing-checks")
    assert len(rules) == 6
    assert all(r.fix and r.pack == "standing-checks" for r in rules)


def test_standing_check_one_flags_a_severely_disabled_dibao_member_without_care() -> None:
    (care, *_) = pack_rules("standing-checks")
    assert judged(care.expression, household(statuses=["dibao"]))
    assert not judged(care.expression, household(statuses=["dibao", "disability_subsidies"]))
    assert not judged(care.expression, household())


def test_a_monthly_or_quarterly_edition_knows_the_one_after_it() -> None:
    assert following("2026-12") == "2027-01"
    assert following("2026-Q4") == "2027-Q1"
    assert following("batch-7") is None


def test_a_feed_is_silent_after_its_cadence_and_skipped_editions_are_named() -> None:
    editions = [
        {"edition": "2026-08", "recorded_at": NOW - timedelta(days=90), "cadence_days": 31},
        {"edition": "2026-10", "recorded_at": NOW - timedelta(days=40), "cadence_days": 31},
    ]
    status = feed_status(editions, NOW)
    assert status["silent"] is True
    assert status["skipped_editions"] == ["2026-09"]
    assert feed_status(editions[1:], NOW - timedelta(days=30))["complete"] is True


def test_a_temporary_aid_payment_answers_standing_check_three() -> None:
    check = next(r for r in pack_rules("standing-checks") if r.rule_id.startswith("check-3"))
    ill = [{"relation": "head", "birth_year": 1970, "circumstances": ["severe_illness"]}]
    facts = household(members=ill)
    assert judged(check.expression, facts)
    facts.apply_household(
        "TemporaryAidGranted",
        SimpleNamespace(granted_at=NOW, amount_fen=250_000, by="ca", reason="tuition"),
    )
    assert not judged(check.expression, facts)
    assert facts.as_cel(NOW)["temporary_aid"][0]["amount_fen"] == 250_000
