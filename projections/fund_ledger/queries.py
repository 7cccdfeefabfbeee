"""Reading the money: funds and their balances, earmarks, donors, and the trace of every yuan."""

from __future__ import annotations

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
