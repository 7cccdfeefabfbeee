"""Judging inside the view's transaction: facts from rows, decisions into candidate rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.matching.facts import (
    FundFacts,
    NeedFacts,
    OfferingFacts,
    PolicyFacts,
    Pool,
    birth_years,
    coordinates_of,
)
from domain.matching.facts import household_labels as labels_of
from domain.matching.ladder import ladder
from domain.matching.policy import DEFAULT_POLICY, Policy
from domain.matching.policy_rules import judge_policy
from domain.matching.rules import Decision, judge_fund, judge_offering, priority
from domain.shared.months import month_of
from projections.match_queue.summary import SUMMARY_KEYS as SUMMARY_KEYS
from projections.match_queue.summary import Summary as Summary
from projections.match_queue.summary import adjusted as adjusted
from projections.match_queue.summary import best_of as best_of
from projections.match_queue.summary import counts as counts
from projections.match_queue.summary import same_verdict as same_verdict
from projections.match_queue.summary import summary_of as summary_of
from projections.match_queue.tables import CANDIDATE_TABLES, levels
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


def household_facts(household: Row | None) -> Row:
    """What the rules need of a household file, copied onto each of its need rows."""
    members = (household or {}).get("members") or []
    return {
        "statuses": list((household or {}).get("statuses") or ()),
        "labels": list(labels_of(members, (household or {}).get("household_group"))),
        "birth_years": list(birth_years(members)),
        "circle": (household or {}).get("circle"),
        "place": (household or {}).get("place"),
    }


def need_facts(need: Row) -> NeedFacts:
    """A need row (with its household's facts) as the rules see it."""
    return NeedFacts(
        need_id=need["need_id"],
        region_code=need["region_code"],
        need_type=need["need_type"],
        category=need["category"],
        urgency=need["urgency"],
        raised_at=when(need["raised_at"]),
        statuses=tuple(need["statuses"] or ()),
        labels=tuple(need["labels"] or ()),
        birth_years=tuple(need["birth_years"] or ()),
        circle=need["circle"],
        coordinates=coordinates_of(need.get("place")),
        description=need.get("description") or "",
        policy=need.get("policy") or "",
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


def policy_entry_facts(row: Row) -> PolicyFacts:
    """A row of the policy list as the rules see it."""
    return PolicyFacts(
        policy_id=row["policy_id"],
        code=row["code"],
        name=row["name"],
        department=row["department"],
        need_type=row["need_type"],
        categories=tuple(row["categories"]),
        eligibility=row["eligibility"],
        not_holding=tuple(row["not_holding"] or ()),
        grants=row["grants"],
        keywords=tuple(row["keywords"] or ()),
        open=bool(row["open"]),
    )


def judge(need: NeedFacts, kind: str, row: Row, policy: Policy, period: str) -> Decision:
    """The decision on one candidate row for one need."""
    if kind == "offering":
        return judge_offering(need, offering_facts(row, period), policy)
    if kind == "policy":
        return judge_policy(need, policy_entry_facts(row), policy)
    return judge_fund(need, fund_facts(row), policy)


def covers(need: Row, kind: str, row: Row, policy: Policy) -> bool:
    """Whether the candidate is one the need is judged against: same alliance, a category the
    ladder lets answer the need, area."""
    if row["alliance"] != need["county"]:
        return False
    answering = ladder(policy.ladder).categories_for(need["category"])
    if kind == "offering" and row["category"] not in answering:
        return False
    if kind == "policy":
        return any(c in answering for c in row["categories"])
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


def write_queue(tx: Tx, need: Row, facts: NeedFacts, policy: Policy, summary: Summary) -> None:
    """The need's queue and summary rows; no choosable service makes it a gap."""
    tx.upsert("match_summaries", {"need_id": need["need_id"], **summary})
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
            "has_candidate": 1 if summary["services"] else 0,
            "neg_priority": -priority(facts, policy),
            "escalated": need["owner_code"] != need["region_code"],
            "policy_version": policy.version,
        },
    )


def judge_need(tx: Tx, need: Row, at: datetime, policy: Policy | None = None) -> None:
    """Judge one open need against every candidate covering it; write its rows and queue row."""
    facts = need_facts(need)
    policy = policy or policy_for(tx, need["county"])
    region = need["region_code"]
    found = tx.find(
        "match_areas",
        area=[region[:n] for n in range(2, len(region) + 1)],
        category=[*ladder(policy.ladder).categories_for(need["category"]), "*"],
    )
    candidates: list[tuple[str, Row]] = []
    for kind, (table, column) in CANDIDATE_TABLES.items():
        ids = sorted({a["candidate_id"] for a in found if a["kind"] == kind})
        candidates += [(kind, r) for r in tx.find(table, **{column: ids})]
    old = {r["candidate_id"]: r for r in tx.find("match_candidates", need_id=need["need_id"])}
    rows: list[Row] = []
    period = month_of(at)
    for kind, row in candidates:
        if not covers(need, kind, row, policy):
            continue
        decision = judge(facts, kind, row, policy, period)
        new = candidate_row(need, decision, policy, at, row.get("provider_name"))
        tx.upsert("match_candidates", new)
        rows.append(new)
    kept = {r["candidate_id"] for r in rows}
    for candidate_id in sorted(old.keys() - kept):
        tx.delete("match_candidates", need_id=need["need_id"], candidate_id=candidate_id)
    write_queue(tx, need, facts, policy, summary_of(rows))
