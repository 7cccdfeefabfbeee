"""Decisions recorded as they were made: the inputs that decided them, a digest, the verdicts.

A coordinator's accept or reject keeps the need's and the candidate's facts, the policy's
settings and version (which name the taxonomy ladder's edition) and what the rules said. Judging
the recorded inputs again reproduces the recorded verdicts exactly; the digest shows the inputs
were not altered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from domain.matching.facts import FundFacts, NeedFacts, OfferingFacts, PolicyFacts, Pool
from domain.matching.policy import Policy
from domain.matching.policy_rules import judge_policy
from domain.matching.rules import Decision, judge_fund, judge_offering

Candidate = OfferingFacts | FundFacts | PolicyFacts


def _need_record(need: NeedFacts) -> dict[str, Any]:
    out = asdict(need)
    out["raised_at"] = need.raised_at.isoformat()
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def _need_from(raw: dict[str, Any]) -> NeedFacts:
    tuples = ("statuses", "labels", "birth_years")
    fields: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in raw.items()}
    fields["raised_at"] = datetime.fromisoformat(raw["raised_at"])
    if raw.get("coordinates") is not None:
        fields["coordinates"] = tuple(raw["coordinates"])
    return NeedFacts(**fields)


_TUPLES = ("areas", "categories", "not_holding", "keywords")


def _candidate_record(candidate: Candidate) -> dict[str, Any]:
    if isinstance(candidate, PolicyFacts):
        out = asdict(candidate)
        return {
            "kind": "policy",
            "facts": {k: list(v) if k in _TUPLES else v for k, v in out.items()},
        }
    if isinstance(candidate, OfferingFacts):
        out = asdict(candidate)
        out["areas"] = list(candidate.areas)
        return {"kind": "offering", "facts": out}
    pools = [{"earmark": p.earmark, "available_fen": p.available_fen} for p in candidate.pools]
    return {
        "kind": "fund",
        "facts": {
            "fund_id": candidate.fund_id,
            "name": candidate.name,
            "region_code": candidate.region_code,
            "pools": pools,
        },
    }


def _candidate_from(raw: dict[str, Any]) -> Candidate:
    facts = dict(raw["facts"])
    if raw["kind"] == "policy":
        fields: dict[str, Any] = {k: tuple(v) if k in _TUPLES else v for k, v in facts.items()}
        return PolicyFacts(**fields)
    if raw["kind"] == "offering":
        facts["areas"] = tuple(facts["areas"])
        return OfferingFacts(**facts)
    pools = tuple(Pool(p["earmark"], p["available_fen"]) for p in facts.pop("pools"))
    return FundFacts(pools=pools, **facts)


def _digest(inputs: dict[str, Any]) -> str:
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def judged(need: NeedFacts, candidate: Candidate, policy: Policy) -> Decision:
    """The rules on one candidate of either kind."""
    if isinstance(candidate, OfferingFacts):
        return judge_offering(need, candidate, policy)
    if isinstance(candidate, PolicyFacts):
        return judge_policy(need, candidate, policy)
    return judge_fund(need, candidate, policy)


def as_decided(need: NeedFacts, candidate: Candidate, policy: Policy) -> dict[str, Any]:
    """The record a decision keeps: its inputs, their digest, and the verdicts they gave."""
    inputs = {
        "need": _need_record(need),
        "candidate": _candidate_record(candidate),
        "policy": {"version": policy.version, "settings": policy.as_record()},
    }
    decision = judged(need, candidate, policy)
    return {
        "inputs": inputs,
        "digest": _digest(inputs),
        "eligible": decision.eligible,
        "score": decision.score,
        "level": decision.level,
        "checks": [c.as_record() for c in decision.checks],
        "parts": dict(decision.parts),
    }


def reproduce(record: dict[str, Any]) -> tuple[Decision, Policy, bool]:
    """Judge a recorded decision's inputs again: the decision, its policy, and whether the
    digest and the verdicts still match the record."""
    inputs = record["inputs"]
    policy = Policy.parse(inputs["policy"]["settings"], inputs["policy"]["version"])
    decision = judged(_need_from(inputs["need"]), _candidate_from(inputs["candidate"]), policy)
    same = (
        _digest(inputs) == record["digest"]
        and [c.as_record() for c in decision.checks] == record["checks"]
        and decision.score == record["score"]
        and decision.parts == record["parts"]
    )
    return decision, policy, same
