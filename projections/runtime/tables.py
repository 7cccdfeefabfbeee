"""Declarations of view tables, shared by every store dialect."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "int", "bool", "ts", "json"]


@dataclass(frozen=True)
class Column:
    """One column of a view table."""

    name: str
    type: ColumnType = "text"


@dataclass(frozen=True)
class Table:
    """A view table: columns, the key that identifies a row, and indexes for its queries."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = field(default=())
    # Rows are only ever added (e.g. a timeline): a batch's new rows are copied in without a
    # conflict check, since the view's position already keeps every event to one application.
    append_only: bool = False

    column_names: tuple[str, ...] = field(init=False)
    _types: dict[str, ColumnType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {c.name for c in self.columns}
        missing = [k for k in (*self.key, *(c for i in self.indexes for c in i)) if k not in names]
        if missing:
            raise ValueError(f"table {self.name}: unknown columns {missing}")
        # Computed once: handlers ask for these on every row.
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))
        object.__setattr__(self, "_types", {c.name: c.type for c in self.columns})

    def types(self) -> dict[str, ColumnType]:
        """Column types by name (shared: do not modify)."""
        return self._types


def cols(spec: str) -> tuple[Column, ...]:
    """Columns from a compact spec: 'name:type name2 name3:int' (type defaults to text)."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append(Column(name, kind or "text"))  # type: ignore[arg-type]
    return tuple(out)
