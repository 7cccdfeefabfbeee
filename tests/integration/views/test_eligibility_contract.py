"""The services list's household filter and the matching rule agree, on SQLite and PostgreSQL.

Both read one rule (domain.matching.eligibility): the services list stores its verdicts per
household and offering; the matching engine judges a need's household with it. Random
households × offerings, published in random order, must get the same answers from both.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.alliance import Alliance
from domain.households.identity import household_id, pseudonymise
from domain.households.labels import birth_years, household_labels
from domain.households.vocabulary import HELD_STATUSES, Assistance, Channel, Circumstance, Member
from domain.matching.facts import NeedFacts, OfferingFacts
from domain.matching.policy import DEFAULT_POLICY
from domain.matching.rules import judge_offering
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind
from projections.runtime.runner import Runner
from projections.services_list.queries import ServiceFilter, list_offerings
from projections.services_list.view import ServicesList

pytestmark = pytest.mark.integration

AT = datetime(2026, 3, 1, tzinfo=UTC)
VILLAGES = ("330106002051", "330106002052", "330106004053", "330105001051")
AREAS = ("33", "3301", "330106", "330106002", "330106002051", "330106004", "330105")
GROUPS = ("single_parent", "sanitation_workers", "orphan", "disability")
ELIGIBILITY_RULES = {"region", "statuses", "groups", "age", "disability"}
_serial = itertools.count()

statuses = st.lists(st.sampled_from([a.value for a in HELD_STATUSES]), max_size=3, unique=True)
members = st.lists(
    st.builds(
        Member,
        relation=st.just("member"),
        birth_year=st.one_of(st.none(), st.integers(1925, 2025)),
        circumstances=st.lists(st.sampled_from(list(Circumstance)), max_size=2, unique=True).map(
            tuple
        ),
    ),
    max_size=3,
)
households = st.fixed_dictionaries(
    {
        "region": st.sampled_from(VILLAGES),
        "members": members,
        "statuses": statuses,
        "group": st.one_of(st.none(), st.sampled_from(GROUPS)),
    }
)


@st.composite
def eligibility(draw: st.DrawFn) -> dict:
    low = draw(st.one_of(st.none(), st.integers(0, 90)))
    high = draw(st.one_of(st.none(), st.integers(low or 0, 100)))
    return {
        "statuses": draw(st.lists(st.sampled_from([a.value for a in HELD_STATUSES]), max_size=2)),
        "groups": draw(st.lists(st.sampled_from(GROUPS), max_size=2)),
        "minimum_age": low,
        "maximum_age": high,
        "disability_required": draw(st.booleans()),
    }


offerings = st.fixed_dictionaries(
    {
        "areas": st.lists(st.sampled_from(AREAS), min_size=1, max_size=2, unique=True),
        "eligibility": st.one_of(st.just({}), eligibility()),
    }
)


def terms(n: int, spec: dict) -> OfferingTerms:
    return OfferingTerms.parse(
        {
            "name": f"offering {n}",
            "need_type": "care",
            "category": "care",
            "areas": spec["areas"],
            "eligibility": spec["eligibility"],
        }
    )


def matching_admits(household: dict, offering: dict, year: int) -> bool:
    """Whether the matching rule passes coverage and every eligibility check."""
    records = [m.as_record() for m in household["members"]]
    need = NeedFacts(
        need_id="n",
        region_code=household["region"],
        need_type="care",
        category="care",
        urgency="normal",
        raised_at=datetime(year, 6, 1, tzinfo=UTC),
        statuses=tuple(household["statuses"]),
        labels=household_labels(records, household["group"]),
        birth_years=birth_years(records),
    )
    record = terms(0, offering).as_record()
    facts = OfferingFacts(
        offering_id="o",
        provider_id="p",
        name="o",
        need_type="care",
        category="care",
        areas=tuple(record["areas"]),
        eligibility=record["eligibility"],
        capacity=None,
    )
    decision = judge_offering(need, facts, DEFAULT_POLICY)
    return not set(decision.failed) & ELIGIBILITY_RULES


@pytest.fixture
def follower(view_store):
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    runner = Runner(app.recorder, app.mapper, view_store, [ServicesList()])
    return app, runner


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    homes=st.lists(households, min_size=1, max_size=4),
    early=st.lists(offerings, max_size=3),
    late=st.lists(offerings, max_size=3),
    changed=st.one_of(st.none(), offerings),
    year=st.integers(2020, 2032),
)
def test_the_services_list_admits_exactly_whom_the_matching_rule_admits(
    follower, view_store, homes, early, late, changed, year
) -> None:
    app, runner = follower
    serial = next(_serial)
    provider = app.register_provider(
        name=f"p{serial}",
        kind=ProviderKind.SOCIAL_WORK_PROVIDER,
        region_code="330106",
        description="",
        by="t",
        at=AT,
    ).aggregate_id
    published: dict[str, dict] = {}

    def publish(specs: list[dict]) -> None:
        for spec in specs:
            n = len(published)
            outcome = app.publish_offering(
                provider_id=provider, terms=terms(n, spec), by="t", at=AT
            )
            published[str(outcome.aggregate_id)] = spec

    publish(early)
    keys = [pseudonymise(f"3301061980{serial:04d}{i:04d}", "s") for i in range(len(homes))]
    for key, home in zip(keys, homes, strict=True):
        app.report_discovery(
            household_key=key,
            region_code=home["region"],
            channel=Channel.GRID_WORKER,
            reported_by="t",
            at=AT,
            members=home["members"],
        )
        for status in home["statuses"]:
            app.grant_assistance(household_key=key, status=Assistance(status), by="t", at=AT)
    publish(late)
    for key, home in zip(keys, homes, strict=True):
        if home["group"]:
            app.assess_household(
                household_key=key, difficulty_circle=2, group=home["group"], plan="", by="t", at=AT
            )
    if changed is not None and published:
        first = next(iter(published))
        app.update_offering(
            offering_id=first,
            terms=terms(0, changed),
            by="t",
            at=AT,  # type: ignore[arg-type]
        )
        published[first] = changed
    runner.catch_up()

    for key, home in zip(keys, homes, strict=True):
        listed = list_offerings(
            view_store,
            ServiceFilter(
                household_id=str(household_id(key)),
                covers=home["region"],
                provider_id=str(provider),
            ),
            period=f"{year}-06",
            limit=100,
        )
        expected = {o for o, spec in published.items() if matching_admits(home, spec, year)}
        assert {r["offering_id"] for r in listed.items} == expected
