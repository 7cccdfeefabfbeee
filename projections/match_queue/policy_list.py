"""The match queue's policy list (政策清单): listed policies are candidates across the alliance."""

from __future__ import annotations

from typing import Any

from domain.matching.policy_list import PolicyEntry
from projections.match_queue import supply
from projections.runtime.view import Row, Tx


def entry(e: Any, tx: Tx, _: int) -> None:
    """A policy listed, changed or withdrawn: its row, its index entries, the needs it reaches."""
    policy_id = str(e.originator_id)
    old = tx.get("match_policy_list", policy_id=policy_id)
    if old is None and not isinstance(e, PolicyEntry.Listed):
        return
    row: Row = dict(old or {})
    if isinstance(e, PolicyEntry.Listed):
        row.update(policy_id=policy_id, alliance=e.region_code[:6], code=e.code)
    if isinstance(e, PolicyEntry.Withdrawn):
        row["open"] = False
    else:
        terms = e.terms
        row.update(
            name=terms["name"],
            department=terms["department"],
            need_type=terms["need_type"],
            categories=list(terms["categories"]),
            eligibility=terms["eligibility"],
            not_holding=list(terms["not_holding"]),
            grants=terms["grants"],
            keywords=list(terms["keywords"]),
            description=terms["description"],
            open=True,
        )
    tx.upsert("match_policy_list", row)
    before = set(old["categories"]) if old else set()
    for category in before - set(row["categories"]):
        tx.delete("match_areas", area=row["alliance"], category=category, candidate_id=policy_id)
    for category in set(row["categories"]) - before:
        tx.upsert(
            "match_areas",
            {
                "area": row["alliance"],
                "category": category,
                "candidate_id": policy_id,
                "kind": "policy",
            },
        )
    supply.rejudge(tx, "policy", policy_id, row, e.timestamp)
