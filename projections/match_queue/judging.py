"""Judging inside the view's transaction: facts from rows, decisions into candidate rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from domain.matching.facts import FundFacts, NeedFacts, OfferingFacts, Pool, birth_years
from domain.matching.facts import household_labels as labels_of
from domain.matching.policy import DEFAULT_POLICY, Policy
from domain.matching.rules import Decision, judge_fund, judge_offering, priority
from projections.match_queue.tables import levels
from projections.runtime.view import Row, Tx


def when(value: Any) -> datetime:
    """A timestamp column (stored as ISO text or a datetime) as a datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def policy_for(tx: Tx, alliance: str) -> Policy:
    """The newest policy version of an alliance, or the default."""
    rows = tx.find("match_policies", alliance=alliance)
    if not rows:
        return DEFAULT_POLICY
    newest = max(rows, key=lambda r: r["version"])
    return Policy.parse(newest["settings"], newest["version"])


def policy_version(tx: Tx, alliance: str, version: int) -> Policy | None:
    """One policy version of an alliance (0 is the default), or None if there is no such."""
    if version == 0:
        return DEFAULT_POLICY
    row = tx.get("match_policies", alliance=alliance, version=version)
    return None if row is None else Policy.parse(row["settings"], version)


def need_facts(need: Row, household: Row | None) -> NeedFacts:
    """A need row and its household row as the rules see them."""
    members = (household or {}).get("members") or []
    return NeedFacts(
        need_id=need["need_id"],
        region_code=need["region_code"],
        need_type=need["need_type"],
        category=need["category"],
        urgency=need["urgency"],
        raised_at=when(need["raised_at"]),
        statuses=tuple((household or {}).get("statuses") or ()),
        labels=labels_of(members, (household or {}).get("household_group")),
        birth_years=birth_years(members),
        circle=(household or {}).get("circle"),
    )


def offering_facts(row: Row, period: str) -> OfferingFacts:
    """An offering row as the rules see it in a month."""
    return OfferingFacts(
        offering_id=row["offering_id"],
        provider_id=row["provider_id"],
        name=row["name"],
        need_type=row["need_type"],
        category=row["category"],
        areas=tuple(row["areas"]),
        eligibility=row["eligibility"],
        capacity=row["capacity"],
        used=(row["usage"] or {}).get(period, 0),
        location=row["location"],
        open=bool(row["open"]),
    )


def fund_facts(row: Row) -> FundFacts:
    """A fund row as the rules see it."""
    pools = tuple(Pool(p["earmark"], p["available_fen"]) for _, p in sorted(row["pools"].items()))
    return FundFacts(row["fund_id"], row["name"], row["region_code"], pools)


def judge(need: NeedFacts, kind: str, row: Row, policy: Policy, period: str) -> Decision:
    """The decision on one candidate row for one need."""
    if kind == "offering":
        return judge_offering(need, offering_facts(row, period), policy)
    return judge_fund(need, fund_facts(row), policy)


def covers(need: Row, kind: str, row: Row) -> bool:
    """Whether the candidate is one the need is judged against: same alliance, category, area."""
    if row["alliance"] != need["county"]:
        return False
    if kind == "offering" and row["category"] != need["category"]:
        return False
    areas = row["areas"] if kind == "offering" else [row["region_code"]]
    return any(need["region_code"].startswith(a) for a in areas)


def candidate_row(
    need: Row, decision: Decision, policy: Policy, at: datetime, provider_name: str | None
) -> Row:
    """The candidate row of a decision; a rejection by a coordinator is kept beside it."""
    rejected = (need["rejected"] or {}).get(decision.candidate_id)
    return {
        "need_id": need["need_id"],
        "candidate_id": decision.candidate_id,
        "kind": decision.kind,
        "name": decision.name,
        "provider_name": provider_name,
        "eligible": decision.eligible,
        "rejected": rejected is not None,
        "rejected_reason": rejected,
        "score": decision.score,
        "level": decision.level,
        "checks": [c.as_record() for c in decision.checks],
        "parts": decision.parts,
        "failed": ",".join(decision.failed),
        "policy_version": policy.version,
        "scored_at": at,
        "live": True,
        "accepted": False,
        "referral_id": None,
    }


def counts(row: Row) -> bool:
    """A candidate the coordinator can still choose."""
    return bool(row["eligible"]) and not row["rejected"]


def best_of(rows: Iterable[Row], kind: str | None = None) -> Row | None:
    """The highest-scoring choosable candidate (ties: the smaller id, so every store agrees)."""
    usable = [r for r in rows if counts(r) and kind in (None, r["kind"])]
    return min(usable, key=lambda r: (-r["score"], r["candidate_id"]), default=None)


def write_queue(tx: Tx, need: Row, facts: NeedFacts, policy: Policy, rows: list[Row]) -> None:
    """The need's queue row, from its candidate rows; no choosable service makes it a gap."""
    best = best_of(rows)
    service = best_of(rows, "offering")
    owner = levels(need["owner_code"])
    tx.upsert(
        "match_queue",
        {
            "need_id": need["need_id"],
            "household_id": need["household_id"],
            "region_code": need["region_code"],
            "owner_code": need["owner_code"],
            "owner_county": owner["county"],
            "owner_town": owner["town"],
            "owner_village": owner["village"],
            "department": need["department"],
            "need_type": need["need_type"],
            "category": need["category"],
            "urgency": need["urgency"],
            "description": need["description"],
            "raised_at": need["raised_at"],
            "has_candidate": 0 if service is None else 1,
            "neg_priority": -priority(facts, policy),
            "candidates": sum(1 for r in rows if counts(r)),
            "services": sum(1 for r in rows if counts(r) and r["kind"] == "offering"),
            "best_id": best and best["candidate_id"],
            "best_name": best and best["name"],
            "best_score": best and best["score"],
            "escalated": need["owner_code"] != need["region_code"],
            "policy_version": policy.version,
        },
    )


def judge_need(tx: Tx, need: Row, at: datetime, policy: Policy | None = None) -> None:
    """Judge one open need against every candidate covering it; write its rows and queue row."""
    household = tx.get("match_households", household_id=need["household_id"])
    facts = need_facts(need, household)
    policy = policy or policy_for(tx, need["county"])
    region = need["region_code"]
    found = tx.find(
        "match_areas",
        area=[region[:n] for n in range(2, len(region) + 1)],
        category=[need["category"], "*"],
    )
    ids = {
        kind: sorted({a["candidate_id"] for a in found if a["kind"] == kind})
        for kind in ("offering", "fund")
    }
    candidates = [("offering", r) for r in tx.find("match_offerings", offering_id=ids["offering"])]
    candidates += [("fund", r) for r in tx.find("match_funds", fund_id=ids["fund"])]
    old = {r["candidate_id"]: r for r in tx.find("match_candidates", need_id=need["need_id"])}
    rows: list[Row] = []
    period = f"{at:%Y-%m}"
    for kind, row in candidates:
        if not covers(need, kind, row):
            continue
        decision = judge(facts, kind, row, policy, period)
        new = candidate_row(need, decision, policy, at, row.get("provider_name"))
        tx.upsert("match_candidates", new)
        rows.append(new)
    kept = {r["candidate_id"] for r in rows}
    for candidate_id in sorted(old.keys() - kept):
        tx.delete("match_candidates", need_id=need["need_id"], candidate_id=candidate_id)
    write_queue(tx, need, facts, policy, rows)


def rejudge_pair(
    tx: Tx, need_id: str, kind: str, row: Row | None, at: datetime, policy: Policy
) -> None:
    """Re-judge one candidate for one open need (row None: the candidate is gone)."""
    need = tx.get("match_needs", need_id=need_id)
    if need is None or need["status"] != "open":
        return
    household = tx.get("match_households", household_id=need["household_id"])
    facts = need_facts(need, household)
    rows = [r for r in tx.find("match_candidates", need_id=need_id)]
    candidate_id = row["offering_id" if kind == "offering" else "fund_id"] if row else None
    rows = [r for r in rows if r["candidate_id"] != candidate_id]
    if row is not None and covers(need, kind, row):
        decision = judge(facts, kind, row, policy, f"{at:%Y-%m}")
        new = candidate_row(need, decision, policy, at, row.get("provider_name"))
        tx.upsert("match_candidates", new)
        rows.append(new)
    elif candidate_id is not None:
        tx.delete("match_candidates", need_id=need_id, candidate_id=candidate_id)
    write_queue(tx, need, facts, policy, rows)
