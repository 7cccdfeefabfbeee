"""A need's decisions side by side: as decided (their recorded inputs judged again, the same
rules) and under today's rules (today's facts and the newest policy)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.matching.record import reproduce
from domain.shared.months import month_of
from projections.match_queue.judging import judge, need_facts
from projections.match_queue.queries import candidate_facts, decision_json, need_row, policy_at
from projections.runtime.query import ReadStore
from projections.runtime.view import Row


def decisions(store: ReadStore, need_id: str) -> list[Row]:
    """A need's accepts and rejects in the order they were made."""
    return store.fetch(
        "SELECT * FROM match_decisions WHERE need_id = :id ORDER BY seq",
        {"id": need_id},
        "match_decisions",
    )


def side_by_side(store: ReadStore, need_id: str, at: datetime) -> list[dict[str, Any]] | None:
    """Each decision as it was made and as today's rules would make it; None: no such need."""
    need = need_row(store, need_id)
    if need is None:
        return None
    today_policy = policy_at(store, need["county"], None)
    assert today_policy is not None  # the newest version, or the default
    facts = need_facts(need)
    out = []
    for row in decisions(store, need_id):
        entry: dict[str, Any] = {
            "candidate_id": row["candidate_id"],
            "action": row["action"],
            "by": row["by_whom"],
            "reason": row["reason"],
            "decided_at": row["decided_at"],
            "policy_version": row["policy_version"],
            "digest": None,
            "reproduced": None,
            "as_decided": None,
            "today": None,
        }
        if row["decided"]:
            decision, policy, same = reproduce(row["decided"])
            entry.update(
                digest=row["decided"]["digest"],
                reproduced=same,
                as_decided=decision_json(decision, policy),
            )
        kind = (row["decided"] or {}).get("inputs", {}).get("candidate", {}).get("kind")
        for tried in [kind] if kind else ["offering", "fund", "policy"]:
            found = candidate_facts(store, tried, row["candidate_id"])
            if found is not None:
                now = judge(facts, tried, found, today_policy, month_of(at))
                entry["today"] = decision_json(now, today_policy)
                break
        out.append(entry)
    return out
