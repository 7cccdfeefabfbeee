"""Set-wise judgement: one offering judged for many needs says, need by need, what the rules say
pair by pair — on generated needs, offerings and policies."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.matching.facts import NeedFacts, OfferingFacts
from domain.matching.policy import Exclusion, Policy
from domain.matching.rules import judge_offering
from domain.matching.setwise import judge_offering_for

CATEGORIES = ("care", "medical", "living", "education")
TYPES = ("survival", "care", "development")
STATUSES = ("dibao", "dibian", "tekun", "monitoring")
LABELS = ("elderly_alone", "disability", "single_parent", "orphan")
REGIONS = ("330106001001", "330106001002", "330106002001", "330106002", "330107001001")
AREAS = ("330106", "330106001", "330106001001", "330106002", "330107")
YEARS = (datetime(2025, 12, 30, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
PLACES = (None, (30.27, 120.15), (30.30, 120.10), (30.5, 120.9))


def _subset(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=3).map(tuple)


needs = st.builds(
    NeedFacts,
    need_id=st.uuids().map(str),
    region_code=st.sampled_from(REGIONS),
    need_type=st.sampled_from(TYPES),
    category=st.sampled_from(CATEGORIES),
    urgency=st.sampled_from(("critical", "high", "normal", "low")),
    raised_at=st.sampled_from(YEARS),
    statuses=_subset(STATUSES),
    labels=_subset(LABELS),
    birth_years=st.lists(st.integers(1930, 2020), max_size=3).map(tuple),
    circle=st.sampled_from((None, 1, 2, 3)),
    coordinates=st.sampled_from(PLACES),
)
rules = st.fixed_dictionaries(
    {},
    optional={
        "statuses": st.lists(st.sampled_from(STATUSES), unique=True, min_size=1, max_size=2),
        "groups": st.lists(st.sampled_from(LABELS), unique=True, min_size=1, max_size=2),
        "minimum_age": st.sampled_from((6, 18, 60, 65)),
        "maximum_age": st.sampled_from((16, 25, 70)),
        "disability_required": st.booleans(),
    },
)
locations: st.SearchStrategy[dict[str, Any] | None] = st.sampled_from(
    (
        None,
        {"name": "station", "region_code": "330106001001"},
        {"name": "point", "latitude": 30.28, "longitude": 120.14},
    )
)
offerings = st.builds(
    OfferingFacts,
    offering_id=st.just("o1"),
    provider_id=st.just("p1"),
    name=st.just("Home care"),
    need_type=st.sampled_from(TYPES),
    category=st.sampled_from(CATEGORIES),
    areas=st.lists(st.sampled_from(AREAS), unique=True, min_size=1, max_size=2).map(tuple),
    eligibility=rules,
    capacity=st.sampled_from((None, 0, 10)),
    used=st.integers(0, 12),
    location=locations,
    open=st.booleans(),
)
exclusions = st.builds(
    Exclusion,
    reason=st.just("ruled out"),
    target=st.sampled_from(("", "o1", "p1", "other")),
    category=st.sampled_from(("", *CATEGORIES)),
    statuses=_subset(STATUSES),
)
policies = st.builds(
    Policy,
    require_need_type=st.booleans(),
    widest_level=st.sampled_from(("village", "town", "county")),
    require_circle=st.booleans(),
    circle_km=st.sampled_from((1, 3, 10)),
    exclusions=st.lists(exclusions, max_size=2).map(tuple),
)


# One fact changed at a time, so needs that differ in a single fact are judged side by side.
one_fact = st.one_of(
    st.tuples(st.just("region_code"), st.sampled_from(REGIONS)),
    st.tuples(st.just("need_type"), st.sampled_from(TYPES)),
    st.tuples(st.just("category"), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("statuses"), _subset(STATUSES)),
    st.tuples(st.just("labels"), _subset(LABELS)),
    st.tuples(st.just("birth_years"), st.lists(st.integers(1930, 2020), max_size=3).map(tuple)),
    st.tuples(st.just("raised_at"), st.sampled_from(YEARS)),
    st.tuples(st.just("coordinates"), st.sampled_from(PLACES)),
    st.tuples(st.just("urgency"), st.sampled_from(("critical", "low"))),
)


@st.composite
def neighbourhoods(draw: st.DrawFn) -> list[NeedFacts]:
    """A few needs, each followed by copies that differ from it in one fact."""
    out: list[NeedFacts] = []
    for base in draw(st.lists(needs, min_size=1, max_size=6)):
        out.append(base)
        for i, (name, value) in enumerate(draw(st.lists(one_fact, max_size=8))):
            out.append(replace(base, need_id=f"{base.need_id}-{i}", **{name: value}))
    return out


@settings(max_examples=400, deadline=None)
@given(neighbourhoods(), offerings, policies)
def test_an_offering_judged_for_many_needs_at_once_gets_each_needs_pair_by_pair_decision(
    many: list[NeedFacts], offer: OfferingFacts, policy: Policy
) -> None:
    assert judge_offering_for(many, offer, policy) == [
        judge_offering(n, offer, policy) for n in many
    ]


@settings(max_examples=100, deadline=None)
@given(needs, offerings, policies)
def test_needs_that_differ_only_in_what_the_offering_ignores_share_one_judgement(
    one: NeedFacts, offer: OfferingFacts, policy: Policy
) -> None:
    twin = replace(one, need_id="twin", urgency="low", description="x", circle=None)
    first, second = judge_offering_for([one, twin], offer, policy)
    assert first is second
