"""A decision keeps its inputs: judged again, they give the verdicts recorded at the time."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from uuid import uuid4

from domain.matching.facts import FundFacts, NeedFacts, OfferingFacts, Pool
from domain.matching.model import Triage
from domain.matching.policy import Exclusion, Policy
from domain.matching.record import as_decided, reproduce

NEED = NeedFacts(
    need_id="n1",
    region_code="330106001001",
    need_type="care",
    category="care",
    urgency="high",
    raised_at=datetime(2026, 5, 1, tzinfo=UTC),
    statuses=("dibao",),
    labels=("disability",),
    birth_years=(1950,),
    circle=2,
    coordinates=(30.27, 120.15),
)
OFFER = OfferingFacts(
    offering_id="o1",
    provider_id="p1",
    name="Home care",
    need_type="care",
    category="disability",
    areas=("330106",),
    eligibility={"statuses": ["dibao"]},
    capacity=5,
    used=4,
    location={"latitude": 30.28, "longitude": 120.16},
)
FUND = FundFacts("f1", "Charity", "330106", (Pool(None, 900_000), Pool({"group": "x"}, 1)))


def test_the_recorded_inputs_reproduce_the_recorded_verdicts_exactly() -> None:
    policy = Policy(version=3, circle_km=5)
    for candidate in (OFFER, FUND):
        record = as_decided(NEED, candidate, policy)
        decision, judged_under, same = reproduce(copy.deepcopy(record))
        assert same
        assert judged_under == policy
        assert [c.as_record() for c in decision.checks] == record["checks"]


def test_a_decision_is_reproduced_under_its_own_policy_after_the_rules_changed() -> None:
    record = as_decided(NEED, OFFER, Policy(version=1))
    assert record["eligible"]
    later = Policy(version=2, exclusions=(Exclusion(reason="full", target="p1"),), ladder=0)
    decision, policy, same = reproduce(record)
    assert same and decision.eligible and policy.version == 1
    assert not as_decided(NEED, OFFER, later)["eligible"]


def test_altered_inputs_are_found_out_by_the_digest() -> None:
    record = as_decided(NEED, OFFER, Policy())
    record["inputs"]["candidate"]["facts"]["used"] = 5
    assert reproduce(record)[2] is False


def test_altered_verdicts_are_found_out_by_judging_again() -> None:
    record = as_decided(NEED, OFFER, Policy())
    record["checks"][0]["passed"] = not record["checks"][0]["passed"]
    assert reproduce(record)[2] is False


def test_a_rejection_recorded_before_decisions_kept_their_inputs_still_replays() -> None:
    triage = Triage(need_id=uuid4(), region_code="330106001001")
    triage.reject(candidate_id="o1", reason="too far", by="ca", at=NEED.raised_at)
    pending = triage.collect_events()
    old = object.__new__(Triage.CandidateRejected)
    state = dict(pending[1].__dict__)
    del state["decided"]
    object.__setattr__(old, "__dict__", state)
    replayed = old.mutate(pending[0].mutate(None))
    assert replayed is not None
    assert replayed.rejected == {"o1": "too far"}
    assert old.decided is None
