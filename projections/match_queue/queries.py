"""Reading the match view: a coordinator's queue, a need's candidates, the gap report, policies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.matching.policy import DEFAULT_POLICY, Policy
from domain.matching.rules import Decision, priority_parts
from domain.shared.months import month_of
from projections.match_queue.judging import judge, need_facts, when
from projections.match_queue.tables import CANDIDATE_TABLES
from projections.runtime.query import Page, ReadStore, Where
from projections.runtime.view import Row

_OWNER_COLUMN = {6: "owner_county", 9: "owner_town", 12: "owner_village"}
QUEUE_ORDER = "has_candidate, neg_priority, raised_at, q.need_id"
_QUEUE = (
    "SELECT q.*, s.candidates, s.services, s.best_id, s.best_name, s.best_score"
    " FROM match_queue q LEFT JOIN match_summaries s ON s.need_id = q.need_id"
)


def _jurisdiction(where: Where, region: str | None) -> Where:
    """Needs owned inside a jurisdiction: an indexed level column, or a prefix for odd lengths."""
    if not region:
        return where
    column = _OWNER_COLUMN.get(len(region))
    return where.eq(column, region) if column else where.prefix("owner_code", region)


def match_queue(
    store: ReadStore,
    *,
    region: str | None = None,
    department: str | None = None,
    category: str | None = None,
    gaps_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Open needs of a jurisdiction: gaps first, then priority (urgency, circle), then waiting."""
    where = _jurisdiction(Where(store.dialect), region).eq("department", department)
    where.eq("category", category).eq("has_candidate", 0 if gaps_only else None)
    rows = store.fetch(
        f"{_QUEUE}{where.sql()} ORDER BY {QUEUE_ORDER} LIMIT :limit OFFSET :offset",
        {**where.params, "limit": limit, "offset": offset},
        "match_queue",
    )
    total = store.scalar(f"SELECT COUNT(*) FROM match_queue{where.sql()}", where.params)
    return Page(rows, int(total or 0), limit, offset)


def queue_row(store: ReadStore, need_id: str) -> Row | None:
    """One need's queue row, or None when it is not open."""
    rows = store.fetch(f"{_QUEUE} WHERE q.need_id = :id", {"id": need_id}, "match_queue")
    return rows[0] if rows else None


def need_row(store: ReadStore, need_id: str) -> Row | None:
    """One need's facts as the matching view keeps them, or None."""
    rows = store.fetch(
        "SELECT * FROM match_needs WHERE need_id = :id", {"id": need_id}, "match_needs"
    )
    return rows[0] if rows else None


def candidates(store: ReadStore, need_id: str) -> list[Row]:
    """A need's candidates, best first: choosable by score, then rejected, then ineligible."""
    return store.fetch(
        "SELECT * FROM match_candidates WHERE need_id = :id"
        " ORDER BY rejected, eligible DESC, score DESC, candidate_id",
        {"id": need_id},
        "match_candidates",
    )


def candidate_facts(store: ReadStore, kind: str, candidate_id: str) -> Row | None:
    """The offering or fund row a candidate was judged from."""
    table, column = CANDIDATE_TABLES[kind]
    rows = store.fetch(f"SELECT * FROM {table} WHERE {column} = :id", {"id": candidate_id}, table)
    return rows[0] if rows else None


def gap_report(store: ReadStore, *, region: str | None = None, level: int = 9) -> list[Row]:
    """Open needs with no candidate, by category and region (cut to `level` digits)."""
    where = Where(store.dialect).prefix("region_code", region)
    where.clauses.append("has_candidate = 0")
    rows = store.fetch(
        "SELECT category, need_type, region_code, urgency, raised_at FROM match_queue"
        f"{where.sql()} ORDER BY category, region_code",
        where.params,
        "match_queue",
    )
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["category"], r["region_code"][:level])
        group = groups.setdefault(
            key,
            {
                "category": key[0],
                "region": key[1],
                "needs": 0,
                "critical": 0,
                "need_types": set(),
                "oldest_raised_at": r["raised_at"],
            },
        )
        group["needs"] += 1
        group["critical"] += r["urgency"] == "critical"
        group["need_types"].add(r["need_type"])
        group["oldest_raised_at"] = min(group["oldest_raised_at"], r["raised_at"])
    out = sorted(groups.values(), key=lambda g: (-g["needs"], g["category"], g["region"]))
    for g in out:
        g["need_types"] = sorted(g["need_types"])
    return out


def policy_versions(store: ReadStore, alliance: str) -> list[Row]:
    """Every policy version an alliance adopted, newest first."""
    return store.fetch(
        "SELECT * FROM match_policies WHERE alliance = :a ORDER BY version DESC",
        {"a": alliance},
        "match_policies",
    )


def with_waiting(row: Row, now: datetime) -> Row:
    """A queue row with how long its need has waited as of `now`, in days."""
    waited = max((now - when(row["raised_at"])).total_seconds(), 0) / 86400
    return {**row, "waiting_days": round(waited, 1)}


def need_candidates(store: ReadStore, need_id: str, now: datetime) -> Row | None:
    """A need's facts, queue row, priority's parts as of `now`, and ranked candidates."""
    need = need_row(store, need_id)
    if need is None:
        return None
    queue = queue_row(store, need_id)
    return {
        "need": need,
        "queue": None if queue is None else with_waiting(queue, now),
        "priority_parts": priority_parts(need_facts(need), now),
        "candidates": candidates(store, need_id),
    }


def policy_at(store: ReadStore, alliance: str, version: int | None) -> Policy | None:
    """One policy version of an alliance (None: the newest; 0: the default), or None if unknown."""
    rows = policy_versions(store, alliance)
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
    need = need_row(store, need_id)
    if need is None:
        return None
    policy = policy_at(store, need["county"], version)
    if policy is None:
        return None
    facts = need_facts(need)
    decisions = []
    for row in candidates(store, need_id):
        found: Row | None = candidate_facts(store, row["kind"], row["candidate_id"])
        if found is not None:
            decisions.append(judge(facts, row["kind"], found, policy, month_of(at)))
    decisions.sort(key=lambda d: (not d.eligible, -d.score, d.candidate_id))
    return {
        "need_id": need_id,
        "policy_version": policy.version,
        "judged_at": at.isoformat(),
        "priority_parts": priority_parts(facts, at),
        "candidates": [decision_json(d, policy) for d in decisions],
    }
