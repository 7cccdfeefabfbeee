"""The match view on SQLite and PostgreSQL: candidates, queue order, incremental = rebuilt."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Assistance, Channel, Member
from domain.matching.ladder import ladder
from domain.matching.policy import Exclusion, Policy
from domain.shared.errors import DomainError
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind
from projections.match_queue import queries as q
from projections.match_queue.explain import policy_at
from projections.match_queue.judging import judge, need_facts, summary_of
from projections.match_queue.view import MatchQueue
from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore
from tests.builders import NOW

pytestmark = pytest.mark.integration
TOWN = "330106002"


class District:
    """A small alliance driven through its commands."""

    def __init__(self) -> None:
        self.app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.provider = self.app.register_provider(
            name="Xinyuan",
            kind=ProviderKind.SOCIAL_WORK_PROVIDER,
            region_code="330106",
            description="",
            by="ca",
            at=NOW,
        ).aggregate_id

    def need(self, n: int, village: str, category: Category, urgency: Urgency, hours: int) -> UUID:
        key = pseudonymise(f"33010619800101{n:04d}", "s")
        self.app.report_discovery(
            household_key=key,
            region_code=village,
            channel=Channel.GRID_WORKER,
            reported_by="gw",
            at=NOW,
            members=[Member("head", 1950, ())],
        )
        self.app.grant_assistance(household_key=key, status=Assistance.DIBAO, by="ca", at=NOW)
        self.app.give_consent(
            household_key=key,
            recipient="alliance",
            purpose="referral",
            document="form-1",
            by="ca",
            at=NOW,
        )
        return self.app.raise_need(
            household_key=key,
            need_type=NeedType.CARE,
            category=category,
            urgency=urgency,
            description=f"need {n}",
            raised_by="civil-affairs",
            at=NOW - timedelta(hours=hours),
        ).aggregate_id

    def offering(self, name: str, areas: list[str], capacity: int | None, **terms: Any) -> UUID:
        raw = {"name": name, "need_type": "care", "category": "care", "areas": areas}
        raw.update(capacity=capacity, **terms)
        return self.app.publish_offering(
            provider_id=self.provider, terms=OfferingTerms.parse(raw), by="ca", at=NOW
        ).aggregate_id


def district() -> tuple[District, dict[str, UUID]]:
    d = District()
    ids = {
        "nursing": d.offering("Village nursing", [TOWN + "001"], 1),
        "county_care": d.offering("County home care", ["330106"], 50),
        "elderly_only": d.offering("Elderly club", [TOWN], None, eligibility={"minimum_age": 90}),
        "old_care": d.need(1, TOWN + "001", Category.CARE, Urgency.NORMAL, 48),
        "new_care": d.need(2, TOWN + "001", Category.CARE, Urgency.NORMAL, 1),
        "urgent_care": d.need(3, TOWN + "002", Category.CARE, Urgency.CRITICAL, 2),
        "legal": d.need(4, TOWN + "002", Category.LEGAL, Urgency.LOW, 5),
        "elsewhere": d.need(5, "330106004053", Category.CARE, Urgency.HIGH, 3),
    }
    return d, ids


def follow(app: Alliance, store: Any) -> Runner:
    runner = Runner(app.recorder, app.mapper, store, [MatchQueue()], batch_size=5)
    runner.catch_up()
    return runner


def queue_ids(store: Any, **filters: Any) -> list[str]:
    return [r["need_id"] for r in q.match_queue(store, **filters).items]


def test_a_need_gets_ranked_candidates_each_with_its_explanation(view_store) -> None:
    d, ids = district()
    follow(d.app, view_store)
    judged = q.candidates(view_store, str(ids["old_care"]))
    assert [c["name"] for c in judged] == ["Village nursing", "County home care", "Elderly club"]
    assert [c["eligible"] for c in judged] == [True, True, False]
    assert judged[0]["score"] > judged[1]["score"]
    assert judged[2]["failed"] == "age"
    assert {c["rule"] for c in judged[0]["checks"]} >= {"type", "region", "capacity", "policy"}
    assert set(judged[0]["parts"]) == {"distance", "load", "earmark_fit", "taxonomy"}


def test_the_queue_puts_gaps_first_then_urgency_then_the_longest_waiting(view_store) -> None:
    d, ids = district()
    follow(d.app, view_store)
    expected = ["legal", "urgent_care", "elsewhere", "old_care", "new_care"]
    assert queue_ids(view_store, region="330106") == [str(ids[k]) for k in expected]
    assert queue_ids(view_store, region=TOWN + "001") == [
        str(ids["old_care"]),
        str(ids["new_care"]),
    ]
    assert q.match_queue(view_store, region=TOWN, limit=2, offset=1).total == 4
    assert queue_ids(view_store, department="hrss") == []


def test_using_up_an_offering_is_reflected_in_the_affected_needs_only(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    d.app.accept_candidate(need_id=ids["old_care"], candidate_id=ids["nursing"], by="town", at=NOW)
    runner.catch_up()
    assert str(ids["old_care"]) not in queue_ids(view_store)
    after = {c["name"]: c for c in q.candidates(view_store, str(ids["new_care"]))}
    assert after["Village nursing"]["eligible"] is False
    assert after["Village nursing"]["failed"] == "capacity"
    assert q.queue_row(view_store, str(ids["new_care"]))["best_name"] == "County home care"
    kept = {c["name"]: c for c in q.candidates(view_store, str(ids["old_care"]))}
    assert kept["Village nursing"]["accepted"] is True


def test_closing_the_only_service_turns_needs_into_gaps(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    d.app.close_offering(offering_id=ids["county_care"], by="ca", reason="contract ended", at=NOW)
    runner.catch_up()
    assert q.queue_row(view_store, str(ids["elsewhere"]))["has_candidate"] == 0
    gaps = {(g["category"], g["region"]): g["needs"] for g in q.gap_report(view_store)}
    assert gaps == {("care", "330106004"): 1, ("care", TOWN): 1, ("legal", TOWN): 1}


def test_a_rejection_and_an_escalation_move_the_need_in_the_queues(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    need = ids["elsewhere"]
    d.app.reject_candidate(
        need_id=need, candidate_id=ids["county_care"], reason="too far", by="ca", at=NOW
    )
    d.app.escalate_need(need_id=need, reason="nothing local", by="ca", at=NOW, to_department="town")
    runner.catch_up()
    row = q.queue_row(view_store, str(need))
    assert (row["has_candidate"], row["owner_code"], row["department"]) == (0, "330106004", "town")
    assert queue_ids(view_store, region="330106004053") == []
    assert queue_ids(view_store, region="330106004", department="town") == [str(need)]
    rejected = q.candidates(view_store, str(need))[0]
    assert (rejected["rejected"], rejected["rejected_reason"]) == (True, "too far")


def test_a_policy_change_rejudges_and_every_version_is_kept(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    exclusion = Exclusion(reason="club full for the year", target=str(ids["county_care"]))
    d.app.adopt_matching_policy(
        region_code="330106",
        settings=Policy(exclusions=(exclusion,)),
        by="ca",
        reason="alliance meeting",
        at=NOW,
    )
    runner.catch_up()
    judged = {c["name"]: c for c in q.candidates(view_store, str(ids["elsewhere"]))}
    assert judged["County home care"]["failed"] == "policy"
    assert judged["County home care"]["policy_version"] == 1
    assert [v["version"] for v in q.policy_versions(view_store, "330106")] == [1]


def test_incremental_updates_equal_a_rebuild_and_both_stores_agree(view_store, tmp_path) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    d.app.accept_candidate(need_id=ids["old_care"], candidate_id=ids["nursing"], by="t", at=NOW)
    d.app.close_offering(offering_id=ids["county_care"], by="ca", reason="ended", at=NOW)
    d.app.escalate_need(need_id=ids["legal"], reason="none", by="ca", at=NOW)
    runner.catch_up()
    view = runner.views[0]
    live = view_store.checksum(view)
    reference = SQLiteViewStore(tmp_path / "reference.db")
    follow(d.app, reference)
    assert reference.checksum(view) == live
    runner.rebuild(view)
    assert view_store.checksum(view) == live


def recomputed(store: Any, need_id: str) -> dict[str, tuple[bool, int]]:
    """Every verdict of a need judged from scratch from the view's facts: the naive answer."""
    need = q.need_row(store, need_id)
    facts = need_facts(need)
    policy = policy_at(store, "330106", None)
    out = {}
    for o in store.fetch("SELECT * FROM match_offerings", {}, "match_offerings"):
        if o["category"] in ladder(policy.ladder).categories_for(need["category"]) and any(
            need["region_code"].startswith(a) for a in o["areas"]
        ):
            d = judge(facts, "offering", o, policy, f"{NOW:%Y-%m}")
            out[d.candidate_id] = (d.eligible, d.score)
    return out


def test_after_any_sequence_of_changes_the_view_equals_a_recompute_from_scratch(view_store) -> None:
    d, ids = district()
    runner = follow(d.app, view_store)
    rng = random.Random(5)
    extra = [
        d.offering(f"Extra {i}", [rng.choice([TOWN, TOWN + "002", "330106"])], 3) for i in range(4)
    ]
    offerings = [ids["nursing"], ids["county_care"], *extra]
    needs = [ids[k] for k in ("new_care", "urgent_care", "elsewhere")]
    accepted = 0
    for step in range(60):
        offering = rng.choice(offerings)
        action = rng.random()
        try:
            if action < 0.5:
                chosen = rng.choice(needs)
                d.app.accept_candidate(need_id=chosen, candidate_id=offering, by="t", at=NOW)
                accepted += 1
                # the provider refuses, so the need is back in the queue for later steps
                referral = d.app.repository.get(d.app.repository.get(chosen).referral_id)
                d.app.refuse_referral(
                    referral_id=referral.id, by=referral.holder, at=NOW, reason="full"
                )
            elif action < 0.65:
                key = pseudonymise(f"33010619800101{rng.choice([2, 3, 5]):04d}", "s")
                toggle = rng.choice([d.app.grant_assistance, d.app.end_assistance])
                extra_args = {"reason": "review"} if toggle == d.app.end_assistance else {}
                toggle(household_key=key, status=Assistance.TEKUN, by="ca", at=NOW, **extra_args)
            else:
                area = rng.choice([TOWN, TOWN + "001", "330106", "330106004"])
                d.app.update_offering(
                    offering_id=offering,
                    terms=OfferingTerms.parse(
                        {
                            "name": f"changed {step}",
                            "need_type": "care",
                            "category": rng.choice(["care", "disability", "legal"]),
                            "areas": [area],
                            "capacity": rng.choice([None, 0, 1, 5]),
                            "eligibility": rng.choice([{}, {"statuses": ["tekun"]}]),
                        }
                    ),
                    by="ca",
                    at=NOW,
                )
        except DomainError:
            pass
        if step % 3 == 0:
            runner.catch_up()
    runner.catch_up()
    assert accepted >= 2
    for row in q.match_queue(view_store, limit=100).items:
        judged = q.candidates(view_store, row["need_id"])
        expected = recomputed(view_store, row["need_id"])
        offerings_judged = {
            c["candidate_id"]: (c["eligible"], c["score"])
            for c in judged
            if c["kind"] == "offering"
        }
        assert offerings_judged == expected
        summary = summary_of(judged)
        assert {k: row[k] for k in summary} == summary
        assert row["has_candidate"] == (1 if summary["services"] else 0)
