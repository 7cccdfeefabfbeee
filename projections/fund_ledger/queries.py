"""Reading the money: funds and their balances, earmarks, donors, and the trace of every yuan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.runtime.query import Page, ReadStore, Where, page
from projections.runtime.view import Row


def list_funds(
    store: ReadStore, *, region: str | None = None, limit: int = 100, offset: int = 0
) -> Page:
    """Funds of a jurisdiction with their balances."""
    where = Where(store.dialect).prefix("region_code", region)
    return page(store, "fund_balances", where, "name, fund_id", limit, offset)


def get_fund(store: ReadStore, fund_id: str) -> Row | None:
    """One fund with its balances, or None."""
    rows = store.fetch(
        "SELECT * FROM fund_balances WHERE fund_id = :id", {"id": fund_id}, "fund_balances"
    )
    return rows[0] if rows else None


def pools(store: ReadStore, fund_id: str) -> list[Row]:
    """Available money per pool of a fund; the free pool has the empty key."""
    return store.fetch(
        "SELECT * FROM fund_pools WHERE fund_id = :id ORDER BY pool",
        {"id": fund_id},
        "fund_pools",
    )


def donors(store: ReadStore, fund_id: str) -> list[Row]:
    """Donors of a fund, largest first."""
    return store.fetch(
        "SELECT * FROM fund_donors WHERE fund_id = :id ORDER BY donated_fen DESC, donor",
        {"id": fund_id},
        "fund_donors",
    )


def donations(store: ReadStore, fund_id: str) -> list[Row]:
    """Donations into a fund, in the order received."""
    return store.fetch(
        "SELECT * FROM fund_donations WHERE fund_id = :id ORDER BY received_at, donation_id",
        {"id": fund_id},
        "fund_donations",
    )


def trace(
    store: ReadStore,
    *,
    fund_id: str | None = None,
    household_id: str | None = None,
    donation_id: str | None = None,
    include_cancelled: bool = False,
) -> list[Row]:
    """Donation → household paths of money, filtered by fund, household or donation."""
    where = (
        Where(store.dialect)
        .eq("fund_id", fund_id)
        .eq("household_id", household_id)
        .eq("donation_id", donation_id)
    )
    if not include_cancelled:
        where.clauses.append("status <> :cancelled")
        where.params["cancelled"] = "cancelled"
    return store.fetch(
        f"SELECT * FROM fund_trace{where.sql()} ORDER BY allocated_at, allocation_id, draw",
        where.params,
        "fund_trace",
    )


def allocations(
    store: ReadStore, *, fund_id: str | None = None, household_id: str | None = None
) -> list[Row]:
    """Allocations of a fund or to a household, newest first."""
    where = Where(store.dialect).eq("fund_id", fund_id).eq("household_id", household_id)
    return store.fetch(
        f"SELECT * FROM fund_allocations{where.sql()} ORDER BY allocated_at DESC, allocation_id",
        where.params,
        "fund_allocations",
    )


# --- the outcome ledger: reservations, deliveries, referrals' ends -------------------------


def reservations_due(store: ReadStore, *, now: datetime, limit: int = 500) -> list[str]:
    """Open reservations whose time ran out (the clock re-judges each before recording)."""
    rows = store.fetch(
        "SELECT reservation_id FROM outcome_reservations WHERE state = :open"
        " AND expires_at <= :now ORDER BY expires_at, reservation_id LIMIT :limit",
        {"open": "open", "now": store.dialect.encode("ts", now), "limit": limit},
        "outcome_reservations",
    )
    return [str(row["reservation_id"]) for row in rows]


def list_reservations(
    store: ReadStore,
    *,
    region: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    resource_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Reservations of a jurisdiction, newest first, with how each ended."""
    where = (
        Where(store.dialect)
        .prefix("region_code", region)
        .eq("state", state)
        .eq("kind", kind)
        .eq("resource_id", resource_id)
    )
    order = "made_at DESC, reservation_id"
    return page(store, "outcome_reservations", where, order, limit, offset)


def _rows(store: ReadStore, table: str, column: str, value: str, order: str) -> list[Row]:
    return store.fetch(
        f"SELECT * FROM {table} WHERE {column} = :v ORDER BY {order}", {"v": value}, table
    )


def outcome_of(store: ReadStore, need_id: str) -> Row | None:
    """What became of a need's referrals: the one that completed it, else the latest."""
    referrals = _rows(store, "outcome_referrals", "need_id", need_id, "requested_at, referral_id")
    done = [r for r in referrals if r["completed_at"] is not None]
    chosen = done or referrals
    return chosen[-1] if chosen else None


def with_outcomes(store: ReadStore, rows: list[Row]) -> list[Row]:
    """Trace or allocation rows, each with its need's referral outcome (completion, follow-up)."""
    cache: dict[str, Row | None] = {}
    out: list[Row] = []
    for row in rows:
        need = str(row["need_id"])
        if need not in cache:
            cache[need] = outcome_of(store, need)
        found = cache[need]
        out.append({**row, "outcome": _outcome(found)})
    return out


def _outcome(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    keep = ("referral_id", "holder", "status", "completed_at", "outcome")
    return {
        **{k: row[k] for k in keep},
        **{k: row[k] for k in ("followed_up_at", "satisfied", "follow_up_note")},
    }


def household_services(store: ReadStore, household_id: str) -> dict[str, list[Row]]:
    """A household's deliveries, reservations and referrals' ends, in time order."""
    return {
        "deliveries": _rows(
            store, "outcome_deliveries", "household_id", household_id, "delivered_at, delivery_id"
        ),
        "reservations": _rows(
            store, "outcome_reservations", "household_id", household_id, "made_at, reservation_id"
        ),
        "referrals": [
            {**r, "outcome": _outcome(r)}
            for r in _rows(
                store,
                "outcome_referrals",
                "household_id",
                household_id,
                "requested_at, referral_id",
            )
        ],
    }


def _tally(rows: list[Row]) -> dict[str, int]:
    """Needs completed, followed up, satisfied and not, among the rows' needs (each once)."""
    counts = dict.fromkeys(("completed", "followed_up", "satisfied", "unsatisfied"), 0)
    for outcome in {str(r["need_id"]): r.get("outcome") for r in rows}.values():
        if not outcome or outcome["completed_at"] is None:
            continue
        counts["completed"] += 1
        if outcome["followed_up_at"] is not None:
            counts["followed_up"] += 1
            counts["satisfied" if outcome["satisfied"] else "unsatisfied"] += 1
    return counts


def outcomes_by_fund(store: ReadStore, *, region: str | None = None) -> list[dict[str, Any]]:
    """Per fund: households and needs reached, money reserved and paid, and what became of it."""
    out: list[dict[str, Any]] = []
    for fund in list_funds(store, region=region, limit=500).items:
        rows = [
            r
            for r in allocations(store, fund_id=str(fund["fund_id"]))
            if r["status"] != "cancelled"
        ]
        rows = with_outcomes(store, rows)
        out.append(
            {
                "fund_id": fund["fund_id"],
                "name": fund["name"],
                "households": len({r["household_id"] for r in rows}),
                "needs": len({r["need_id"] for r in rows}),
                "reserved_fen": sum(r["amount_fen"] for r in rows if r["status"] == "allocated"),
                "disbursed_fen": sum(r["amount_fen"] for r in rows if r["status"] == "disbursed"),
                **_tally(rows),
            }
        )
    return out


def outcomes_by_provider(store: ReadStore, *, region: str | None = None) -> list[dict[str, Any]]:
    """Per provider: deliveries, person-times, yuan, households, and its matched referrals' ends."""
    where = Where(store.dialect).prefix("region_code", region)
    deliveries = store.fetch(
        f"SELECT * FROM outcome_deliveries{where.sql()}", where.params, "outcome_deliveries"
    )
    held = store.fetch(
        f"SELECT * FROM outcome_reservations{where.sql()}", where.params, "outcome_reservations"
    )
    providers: dict[str, dict[str, Any]] = {}

    def entry(provider: str) -> dict[str, Any]:
        return providers.setdefault(
            provider,
            {
                "provider_id": provider,
                "deliveries": 0,
                "person_times": 0,
                "cost_fen": 0,
                "households": set(),
                "matched": [],
            },
        )

    for d in deliveries:
        if d["provider_id"] is None:
            continue
        e = entry(str(d["provider_id"]))
        e["deliveries"] += 1
        e["person_times"] += d["person_times"]
        e["cost_fen"] += d["cost_fen"]
        e["households"].add(d["household_id"])
    for r in held:
        if r["provider_id"] is not None:
            entry(str(r["provider_id"]))["matched"].append(r)
    out = []
    for _, e in sorted(providers.items()):
        matched = with_outcomes(store, e.pop("matched"))
        out.append(
            {
                **e,
                "households": len(e["households"]),
                "matched_referrals": len(matched),
                **_tally(matched),
            }
        )
    return out


def held(store: ReadStore, *, region: str | None = None) -> tuple[int, dict[str, int]]:
    """What open reservations hold: fen of money, and units of capacity per offering."""
    where = Where(store.dialect).prefix("region_code", region).eq("state", "open")
    rows = store.fetch(
        f"SELECT * FROM outcome_reservations{where.sql()}", where.params, "outcome_reservations"
    )
    units: dict[str, int] = {}
    for r in rows:
        if r["kind"] == "capacity":
            units[str(r["resource_id"])] = units.get(str(r["resource_id"]), 0) + r["units"]
    return sum(r["amount_fen"] for r in rows if r["kind"] == "money"), units
