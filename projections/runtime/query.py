"""Small portable read-query helpers shared by the views' query modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from projections.runtime.sql import Dialect
from projections.runtime.view import Row


class ReadStore(Protocol):
    """What a query needs from a view store."""

    dialect: Dialect

    def fetch(self, sql: str, params: dict[str, Any], table: str) -> list[Row]: ...

    def scalar(self, sql: str, params: dict[str, Any]) -> Any: ...


@dataclass
class Where:
    """AND-ed conditions with their parameters, built from optional filters."""

    dialect: Dialect
    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def eq(self, column: str, value: Any) -> Where:
        """column = value, when a value is given."""
        if value is not None:
            self.clauses.append(f"{column} = :{column}")
            self.params[column] = value
        return self

    def prefix(self, column: str, value: str | None) -> Where:
        """column starts with value (a region prefix), when a value is given."""
        if value:
            self.clauses.append(f"{column} LIKE :{column}_prefix")
            self.params[f"{column}_prefix"] = value + "%"
        return self

    def within(self, column: str, values: list[str] | tuple[str, ...] | None) -> Where:
        """column is one of values, when values are given."""
        if values:
            names = [f"{column}_{i}" for i in range(len(values))]
            self.clauses.append(f"{column} IN ({', '.join(':' + n for n in names)})")
            self.params.update(zip(names, values, strict=True))
        return self

    def sql(self) -> str:
        """The WHERE clause, or nothing."""
        return f" WHERE {' AND '.join(self.clauses)}" if self.clauses else ""


def order_by(sorts: dict[str, str], sort: str | None, default: str, tie: str) -> str:
    """ORDER BY for a whitelisted sort key (`-key` descending), else the default order."""
    key = (sort or "").lstrip("-")
    if key not in sorts:
        return default
    direction = " DESC" if (sort or "").startswith("-") else ""
    return ", ".join(f"{c}{direction}" for c in sorts[key].split(", ")) + f", {tie}"


@dataclass(frozen=True)
class Page:
    """One page of a list, with the total that matched."""

    items: list[Row]
    total: int
    limit: int
    offset: int


def page(
    store: ReadStore,
    table: str,
    where: Where,
    order: str,
    limit: int,
    offset: int,
    columns: str = "*",
    extra: dict[str, Any] | None = None,
) -> Page:
    """Select one page of rows and count all that match."""
    params = {**where.params, **(extra or {}), "limit": limit, "offset": offset}
    rows = store.fetch(
        f"SELECT {columns} FROM {table}{where.sql()} ORDER BY {order} LIMIT :limit OFFSET :offset",
        params,
        table,
    )
    total = store.scalar(f"SELECT COUNT(*) FROM {table}{where.sql()}", where.params)
    return Page(rows, int(total or 0), limit, offset)
