"""Re-judging one changed candidate for the many needs it reaches, inside the view's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from domain.matching.facts import NeedFacts
from domain.matching.policy import Policy
from domain.matching.rules import Decision
from domain.matching.setwise import OfferingJudge
from domain.shared.months import month_of
from projections.match_queue.judging import (
    adjusted,
    candidate_row,
    covers,
    judge,
    need_facts,
    offering_facts,
    same_verdict,
    summary_of,
)
from projections.match_queue.summary import Summary
from projections.match_queue.tables import CANDIDATE_TABLES
from projections.runtime.view import Row, Tx


def decider(kind: str, row: Row, policy: Policy, period: str) -> Callable[[NeedFacts], Decision]:
    """One candidate judged for need after need (an offering set-wise: each case once)."""
    if kind == "offering":
        return OfferingJudge(offering_facts(row, period), policy)
    return lambda need: judge(need, kind, row, policy, period)


def write_summary(tx: Tx, need_id: str, known: Row | None, summary: Summary) -> None:
    """A changed summary; the queue row only when the need becomes or stops being a gap."""
    tx.upsert("match_summaries", {"need_id": need_id, **summary})
    if known is None or bool(known["services"]) != bool(summary["services"]):
        tx.update(
            "match_queue", {"need_id": need_id}, has_candidate=1 if summary["services"] else 0
        )


def chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    """Slices of a list, so IN lists stay within every store's parameter limits."""
    for begin in range(0, len(values), size):
        yield values[begin : begin + size]


def rejudge_candidate(
    tx: Tx,
    kind: str,
    row: Row,
    need_rows: dict[str, Row | None],
    before: dict[str, Row],
    at: datetime,
    policy: Policy,
) -> None:
    """Re-judge one changed candidate for many needs (rows given, or None: read here).

    `before` holds the candidate's live rows. Only queue rows are read besides; a need's other
    candidates are read only when this one was its best and got worse.
    """
    candidate_id = row[CANDIDATE_TABLES[kind][1]]
    period = month_of(at)
    decide = decider(kind, row, policy, period)
    missing = sorted(k for k, v in need_rows.items() if v is None)
    found = {
        n["need_id"]: n for part in chunks(missing) for n in tx.find("match_needs", need_id=part)
    }
    ordered = [need_rows[k] or found.get(k) for k in sorted(need_rows)]
    open_needs = [n for n in ordered if n is not None and n["status"] == "open"]
    for begin in range(0, len(open_needs), 500):
        needs = open_needs[begin : begin + 500]
        ids = [n["need_id"] for n in needs]
        queued = {r["need_id"]: r for r in tx.find("match_summaries", need_id=ids)}
        rescan: list[tuple[Row, NeedFacts]] = []
        for need in needs:
            facts = need_facts(need)
            new: Row | None = None
            old = before.get(need["need_id"])
            if covers(need, kind, row, policy):
                decision = decide(facts)
                new = candidate_row(need, decision, policy, at, row.get("provider_name"))
                if old is not None and same_verdict(old, new):
                    continue  # nothing a coordinator would see has changed
                tx.upsert("match_candidates", new)
            elif need["need_id"] in before:
                tx.delete("match_candidates", need_id=need["need_id"], candidate_id=candidate_id)
            known = queued.get(need["need_id"])
            summary = known and adjusted(known, old, new)
            if summary is None or known is None:
                rescan.append((need, facts))
            else:
                write_summary(tx, need["need_id"], known, summary)
        if rescan:
            rows: dict[str, list[Row]] = {n["need_id"]: [] for n, _ in rescan}
            for r in tx.find("match_candidates", need_id=list(rows)):
                rows[r["need_id"]].append(r)
            for need, _ in rescan:
                known = queued.get(need["need_id"])
                write_summary(tx, need["need_id"], known, summary_of(rows[need["need_id"]]))
