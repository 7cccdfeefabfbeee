"""Re-explaining a need's candidates under any policy version, from the facts the view keeps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.matching.policy import DEFAULT_POLICY, Policy
from domain.matching.rules import Decision, priority_parts
from projections.match_queue import queries as q
from projections.match_queue.judging import judge, need_facts
from projections.runtime.query import ReadStore
from projections.runtime.view import Row


def policy_at(store: ReadStore, alliance: str, version: int | None) -> Policy | None:
    """One policy version of an alliance (None: the newest; 0: the default), or None if unknown."""
    rows = q.policy_versions(store, alliance)
    if version == 0 or (version is None and not rows):
        return DEFAULT_POLICY
    chosen = (
        rows[0] if version is None else next((r for r in rows if r["version"] == version), None)
    )
    return None if chosen is None else Policy.parse(chosen["settings"], chosen["version"])


def decision_json(decision: Decision, policy: Policy) -> dict[str, Any]:
    """A decision as the API shows it."""
    return {
        "candidate_id": decision.candidate_id,
        "kind": decision.kind,
        "name": decision.name,
        "eligible": decision.eligible,
        "score": decision.score,
        "level": decision.level,
        "checks": [c.as_record() for c in decision.checks],
        "parts": decision.parts,
        "weights": {k: policy.weights.get(k, 0) for k in decision.parts},
        "failed": list(decision.failed),
        "policy_version": policy.version,
    }


def reexplain(
    store: ReadStore, need_id: str, version: int | None, at: datetime
) -> dict[str, Any] | None:
    """The need's candidates judged again under a policy version; None for an unknown one."""
    need = q.need_row(store, need_id)
    if need is None:
        return None
    policy = policy_at(store, need["county"], version)
    if policy is None:
        return None
    facts = need_facts(need)
    decisions = []
    for row in q.candidates(store, need_id):
        found: Row | None = q.candidate_facts(store, row["kind"], row["candidate_id"])
        if found is not None:
            decisions.append(judge(facts, row["kind"], found, policy, f"{at:%Y-%m}"))
    decisions.sort(key=lambda d: (not d.eligible, -d.score, d.candidate_id))
    return {
        "need_id": need_id,
        "policy_version": policy.version,
        "judged_at": at.isoformat(),
        "priority_parts": priority_parts(facts, at),
        "candidates": [decision_json(d, policy) for d in decisions],
    }
