"""The match queue's supply side: providers, offerings and funds, and the pairs their changes
re-judge (only those their category and areas reach, only when a verdict can change)."""

from __future__ import annotations

from typing import Any

from domain.funds.earmark import Earmark, key_of
from domain.funds.model import Fund
from domain.matching.ladder import ladder
from domain.matching.rules import load_part
from domain.shared.months import month_of
from domain.supply.model import Offering
from projections.match_queue import judging as j
from projections.match_queue import rejudging
from projections.runtime.view import Row, Tx


def provider(e: Any, tx: Tx, _: int) -> None:
    tx.upsert("match_providers", {"provider_id": str(e.originator_id), "name": e.name})


def offering(e: Any, tx: Tx, _: int) -> None:
    offering_id = str(e.originator_id)
    old = tx.get("match_offerings", offering_id=offering_id)
    if old is None and not isinstance(e, Offering.Published):
        return
    row = dict(old or {})
    if isinstance(e, Offering.Published):
        provider = tx.get("match_providers", provider_id=str(e.provider_id)) or {}
        row.update(
            offering_id=offering_id,
            provider_id=str(e.provider_id),
            provider_name=provider.get("name"),
            alliance=e.region_code[:6],
            open=True,
            usage={},
        )
    if isinstance(e, Offering.Published | Offering.Updated):
        row.update(
            name=e.name,
            need_type=e.need_type,
            category=e.category,
            areas=sorted(e.areas),
            eligibility=e.eligibility,
            capacity=e.capacity,
            location=e.location,
        )
    elif isinstance(e, Offering.Closed):
        row["open"] = False
    else:
        sign = 1 if isinstance(e, Offering.CapacityUsed) else -1
        usage = dict(row["usage"] or {})
        usage[e.period] = usage.get(e.period, 0) + sign * e.units
        row["usage"] = usage
    tx.upsert("match_offerings", row)
    period = month_of(e.timestamp)
    if old is not None and _signature(old, period) == _signature(row, period):
        return  # a use that leaves the verdicts and the load tenth as they were
    reindex(tx, "offering", offering_id, old, row)
    rejudge(tx, "offering", offering_id, row, e.timestamp)


def fund_opened(e: Any, tx: Tx, _: int) -> None:
    fund_id = str(e.originator_id)
    row = {
        "fund_id": fund_id,
        "alliance": e.region_code[:6],
        "name": e.name,
        "region_code": e.region_code,
        "pools": {},
    }
    tx.upsert("match_funds", row)
    tx.upsert(
        "match_areas",
        {"area": e.region_code, "category": "*", "candidate_id": fund_id, "kind": "fund"},
    )


def fund(e: Any, tx: Tx, _: int) -> None:
    fund_id = str(e.originator_id)
    old = tx.get("match_funds", fund_id=fund_id)
    if old is None:
        return
    pools: dict[str, Any] = {k: dict(v) for k, v in old["pools"].items()}

    def move(key: str, earmark: Any, amount: int) -> None:
        pool = pools.setdefault(key, {"earmark": earmark, "available_fen": 0})
        pool["available_fen"] += amount

    if isinstance(e, Fund.DonationReceived):
        move(key_of(Earmark.from_record(e.earmark)), e.earmark, e.amount_fen)
    elif isinstance(e, Fund.Earmarked):
        for d in e.draws:
            move(d["pool"], None, -d["amount_fen"])
        move(key_of(Earmark.from_record(e.earmark)), e.earmark, e.amount_fen)
    elif isinstance(e, Fund.AllocationCancelled):
        found = tx.get("match_allocations", allocation_id=str(e.allocation_id))
        for d in found["draws"] if found else []:
            move(d["pool"], None, d["amount_fen"])
    else:  # allocated or refunded: the draws leave their pools
        for d in e.draws:
            move(d["pool"], None, -d["amount_fen"])
        if isinstance(e, Fund.Allocated):
            tx.upsert(
                "match_allocations",
                {"allocation_id": str(e.allocation_id), "fund_id": fund_id, "draws": e.draws},
            )
    row = {**old, "pools": pools}
    tx.upsert("match_funds", row)
    policy = j.policy_for(tx, old["alliance"])
    if _fund_signature(old, policy.grant_fen) != _fund_signature(row, policy.grant_fen):
        rejudge(tx, "fund", fund_id, row, e.timestamp)


def reindex(tx: Tx, kind: str, candidate_id: str, old: Row | None, row: Row) -> None:
    before = {(a, old["category"]) for a in old["areas"]} if old else set()
    after = {(a, row["category"]) for a in row["areas"]}
    for area, category in before - after:
        tx.delete("match_areas", area=area, category=category, candidate_id=candidate_id)
    for area, category in after - before:
        tx.upsert(
            "match_areas",
            {"area": area, "category": category, "candidate_id": candidate_id, "kind": kind},
        )


def rejudge(tx: Tx, kind: str, candidate_id: str, row: Row, at: Any) -> None:
    # The needs it was judged for, and the open needs its (new) areas and categories reach.
    before = {
        r["need_id"]: r for r in tx.find("match_candidates", candidate_id=candidate_id, live=True)
    }
    needs: dict[str, Row | None] = dict.fromkeys(before)
    policy = j.policy_for(tx, row["alliance"])
    rungs = ladder(policy.ladder)
    category: dict[str, Any] = {}
    if kind == "offering":
        category = {"category": list(rungs.needs_served_by(row["category"]))}
    elif kind == "policy":
        served = {n for c in row["categories"] for n in rungs.needs_served_by(c)}
        category = {"category": sorted(served)}
    areas = row["areas"] if kind == "offering" else [row.get("region_code") or row["alliance"]]
    for area in areas:
        column = {6: "county", 9: "town", 12: "village"}.get(len(area))
        if column is None:  # an unusual prefix: look through the alliance, keep those inside
            found = tx.find("match_needs", county=row["alliance"], status="open", **category)
            needs.update((n["need_id"], n) for n in found if n["region_code"].startswith(area))
        else:
            found = tx.find("match_needs", status="open", **{column: area}, **category)
            needs.update((n["need_id"], n) for n in found)
    rejudging.rejudge_candidate(tx, kind, row, needs, before, at, policy)


def _signature(row: Row, period: str) -> tuple[Any, ...]:
    """What of an offering the rules and scores depend on in a month."""
    facts = j.offering_facts(row, period)
    left = facts.remaining
    load = (left is None or left > 0, load_part(left, facts.capacity))
    return (
        facts.name,
        facts.need_type,
        facts.category,
        facts.areas,
        facts.open,
        load,
        repr(sorted(facts.eligibility.items())),
        repr(facts.location),
    )


def _fund_signature(row: Row, grant_fen: int) -> tuple[Any, ...]:
    """What of a fund the rules and scores depend on: each pool's depth in grants."""
    return tuple(
        (key, min(p["available_fen"] // grant_fen, 11)) for key, p in sorted(row["pools"].items())
    )
