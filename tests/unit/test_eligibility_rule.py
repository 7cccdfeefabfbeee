"""The eligibility rule: the spans of years it stores say what its checks say, year by year."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.matching.eligibility import (
    HouseholdProfile,
    admits_anyone,
    admitted_years,
    covering_areas,
    covers,
    eligibility_checks,
)

STATUSES = ("dibao", "tekun", "medical")
LABELS = ("disability", "single_parent", "orphan")

profiles = st.builds(
    HouseholdProfile,
    statuses=st.lists(st.sampled_from(STATUSES), max_size=2, unique=True).map(tuple),
    labels=st.lists(st.sampled_from(LABELS), max_size=2, unique=True).map(tuple),
    birth_years=st.lists(st.integers(1920, 2025), max_size=3).map(tuple),
)
rules = st.fixed_dictionaries(
    {},
    optional={
        "statuses": st.lists(st.sampled_from(STATUSES), max_size=2),
        "groups": st.lists(st.sampled_from(LABELS), max_size=2),
        "minimum_age": st.integers(0, 100),
        "maximum_age": st.integers(0, 100),
        "disability_required": st.booleans(),
    },
)


@given(profiles, rules, st.integers(1990, 2060))
def test_a_household_is_admitted_in_a_year_exactly_when_every_check_passes(
    household, rule, year
) -> None:
    passes = all(c.passed for c in eligibility_checks(household, rule, year))
    stored = any(first <= year <= last for first, last in admitted_years(household, rule))
    assert stored == passes


@given(rules)
def test_an_offering_that_names_no_condition_admits_anyone(rule) -> None:
    assert admits_anyone(rule) == (eligibility_checks(HouseholdProfile(), rule, 2026) == [])


def test_an_age_limit_admits_a_member_only_in_the_years_of_those_ages() -> None:
    born_1960 = HouseholdProfile(birth_years=(1960,))
    assert admitted_years(born_1960, {"minimum_age": 60, "maximum_age": 70}) == ((2020, 2030),)
    assert admitted_years(HouseholdProfile(), {"minimum_age": 60}) == ()


def test_an_area_covers_a_code_when_it_is_one_of_its_prefixes() -> None:
    assert covering_areas("330106002") == (
        "33",
        "330",
        "3301",
        "33010",
        "330106",
        *("3301060", "33010600", "330106002"),
    )
    assert covers(["3301"], "330106002051") and not covers(["330105"], "330106002051")
