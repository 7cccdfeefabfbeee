"""Reading statistics (portable GROUP BY) and contracts with what is left of each item."""

from __future__ import annotations

from typing import Literal

from projections.runtime.query import Page, ReadStore, Where, page
from projections.runtime.view import Row

Dimension = Literal["provider", "fund", "service_type", "region", "town", "month"]

# What each dimension groups by, and the label shown beside the key.
_GROUPS: dict[Dimension, tuple[str, str]] = {
    "provider": ("f.provider_id", "n.name"),
    "fund": ("f.fund_id", "n.name"),
    "service_type": ("f.need_type || '/' || f.category", "f.need_type || '/' || f.category"),
    "region": ("f.region_code", "f.region_code"),
    "town": ("f.town_code", "f.town_code"),
    "month": ("f.month", "f.month"),
}


def statistics(
    store: ReadStore,
    *,
    by: Dimension,
    kind: str | None = None,
    region: str | None = None,
    month_from: str | None = None,
    month_to: str | None = None,
) -> list[Row]:
    """Deliveries / disbursements summed by one dimension: count, person-times and fen."""
    key, label = _GROUPS[by]
    where = Where(store.dialect)
    if kind:
        where.clauses.append("f.kind = :kind")
        where.params["kind"] = kind
    if region:
        where.clauses.append("f.region_code LIKE :region_prefix")
        where.params["region_prefix"] = region + "%"
    if month_from:
        where.clauses.append("f.month >= :month_from")
        where.params["month_from"] = month_from
    if month_to:
        where.clauses.append("f.month <= :month_to")
        where.params["month_to"] = month_to
    if by in ("provider", "fund"):
        where.clauses.append(f"{key} IS NOT NULL")
    join = f" LEFT JOIN stats_names n ON n.ref_id = {key}" if by in ("provider", "fund") else ""
    rows = store.fetch(
        f"SELECT {key} AS dim_key, {label} AS label, COUNT(*) AS facts,"
        " CAST(SUM(f.person_times) AS BIGINT) AS person_times,"
        " CAST(SUM(f.amount_fen) AS BIGINT) AS amount_fen"
        f" FROM stats_facts f{join}{where.sql()} GROUP BY {key}, {label} ORDER BY {key}",
        where.params,
        "stats_facts",
    )
    for row in rows:
        for column in ("facts", "person_times", "amount_fen"):
            row[column] = int(row[column] or 0)
    return rows


def list_contracts(
    store: ReadStore,
    *,
    region: str | None = None,
    provider_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Contracts of a jurisdiction with budget spent and person-times delivered."""
    where = Where(store.dialect).prefix("region_code", region).eq("provider_id", provider_id)
    return page(store, "stats_contracts", where, "signed_at, contract_id", limit, offset)


def contract_items(store: ReadStore, contract_id: str) -> list[Row]:
    """The items of a contract with what is left of their budget and person-times."""
    rows = store.fetch(
        "SELECT * FROM stats_contract_items WHERE contract_id = :id ORDER BY item_id",
        {"id": contract_id},
        "stats_contract_items",
    )
    for row in rows:
        row["remaining_fen"] = row["budget_fen"] - row["spent_fen"]
        row["remaining_person_times"] = (
            None if row["capacity"] is None else row["capacity"] - row["used"]
        )
    return rows


def get_contract(store: ReadStore, contract_id: str) -> Row | None:
    """One contract, or None."""
    rows = store.fetch(
        "SELECT * FROM stats_contracts WHERE contract_id = :id",
        {"id": contract_id},
        "stats_contracts",
    )
    return rows[0] if rows else None
