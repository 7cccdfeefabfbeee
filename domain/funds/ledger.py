"""The arithmetic of a fund's pools: FIFO draws, balances, and the guards on spending."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.funds.earmark import FREE, Earmark, describe_pool
from domain.shared.errors import NotFound, RuleViolation
from domain.shared.money import show

Draw = dict[str, Any]  # {"donation_id": str, "pool": str, "amount_fen": int}
Pools = dict[str, dict[str, int]]  # pool key → donation id → fen still available (FIFO order)


def pool_total(pools: Pools, key: str) -> int:
    """Fen available in one pool."""
    return sum(pools.get(key, {}).values())


def draw_fifo(pools: Pools, pool_key: str, amount: int) -> list[Draw]:
    """Draws on one pool's donations, oldest first, adding up to `amount` (or what there is)."""
    draws: list[Draw] = []
    wanted = amount
    for donation_id, left in pools.get(pool_key, {}).items():
        if wanted == 0:
            break
        take = min(left, wanted)
        if take:
            draws.append({"donation_id": donation_id, "pool": pool_key, "amount_fen": take})
            wanted -= take
    return draws


def draw_donation(pools: Pools, donation_id: str, amount: int) -> list[Draw]:
    """Draws on one donation's money in every pool it sits in, adding up to `amount`."""
    draws: list[Draw] = []
    wanted = amount
    for key, pool in pools.items():
        take = min(pool.get(donation_id, 0), wanted)
        if take:
            draws.append({"donation_id": donation_id, "pool": key, "amount_fen": take})
            wanted -= take
    return draws


def apply_draws(pools: Pools, draws: list[Draw], sign: int) -> None:
    """Take the draws out of their pools (sign -1) or put them back (+1)."""
    for d in draws:
        pool = pools.setdefault(d["pool"], {})
        pool[d["donation_id"]] = pool.get(d["donation_id"], 0) + sign * d["amount_fen"]


def open_allocation(
    allocations: dict[str, dict[str, Any]], allocation_id: UUID, action: str, fund: str
) -> dict[str, Any]:
    """The allocation, if it is still open; else NotFound or RuleViolation."""
    found = allocations.get(str(allocation_id))
    if found is None:
        raise NotFound("allocation", f"{allocation_id} in fund {fund!r}")
    if found["status"] != "allocated":
        raise RuleViolation(
            f"allocation {allocation_id} is {found['status']}; only an open allocation can be"
            f" {action}"
        )
    return found


def check_allocation(
    *,
    fund: str,
    earmark: Earmark | None,
    labels: set[str],
    category: str,
    region_code: str,
    available: int,
    amount_fen: int,
) -> None:
    """Refuse money the earmark does not admit for this need, or more than the pool holds."""
    if earmark is not None and not earmark.matches(labels, category, region_code):
        raise RuleViolation(
            f"money earmarked for {earmark.describe()} cannot go to a {category} need of a"
            f" household in {region_code} (its groups: {', '.join(sorted(labels)) or 'none'})"
        )
    if amount_fen > available:
        raise RuleViolation(
            f"fund {fund!r} has {show(available)} of {describe_pool(earmark)}; cannot"
            f" allocate {show(amount_fen)}"
        )


def free_draws(pools: Pools, earmark: Earmark, amount_fen: int, fund: str) -> list[Draw]:
    """Draws on free money to set aside for an earmark; refused beyond the free balance."""
    free = pool_total(pools, FREE)
    if amount_fen > free:
        raise RuleViolation(
            f"fund {fund!r} has {show(free)} of free money; cannot earmark"
            f" {show(amount_fen)} for {earmark.describe()}"
        )
    return draw_fifo(pools, FREE, amount_fen)


def refund_draws(
    pools: Pools, donations: dict[str, Any], donation_id: str, amount_fen: int, fund: str
) -> list[Draw]:
    """Draws returning a donation's unspent money; refused beyond what is unspent."""
    if donation_id not in donations:
        raise NotFound("donation", f"{donation_id} in fund {fund!r}")
    left = sum(pool.get(donation_id, 0) for pool in pools.values())
    if amount_fen > left:
        raise RuleViolation(
            f"donation {donation_id} has {show(left)} unspent in {fund!r}; cannot refund"
            f" {show(amount_fen)}"
        )
    return draw_donation(pools, donation_id, amount_fen)
