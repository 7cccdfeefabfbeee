"""Lists on the pages: columns shared by the HTML table and the exports, paging and sorting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from typing import Annotated, Any

from fastapi import Depends, Query

from projections.runtime.query import Page
from services.web.render import gettext, label_of


@dataclass(frozen=True)
class Column:
    """A column: its title (an English msgid), how to show a row's value, and its sort key."""

    title: str
    value: Callable[[dict[str, Any]], Any]
    sort: str | None = None
    link: Callable[[dict[str, Any]], str] | None = None
    numeric: bool = False
    raw: Callable[[dict[str, Any]], Any] | None = (
        None  # the value in exports, when not the shown one
    )

    def heading(self) -> str:
        """The title in the current language."""
        return gettext(self.title)


def coded(kind: str, key: str) -> Callable[[dict[str, Any]], str]:
    """A column value: the label of the code in `row[key]`."""
    return lambda row: label_of(kind, row.get(key))


def raw(key: str) -> Callable[[dict[str, Any]], Any]:
    """A column value: the row's own value (for exports)."""
    return lambda row: row.get(key)


@dataclass(frozen=True)
class ListParams:
    """Which page of a list, how many rows, in which order, and whether to export it."""

    page: int
    size: int
    sort: str | None
    format: str | None

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.size


def list_params(
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 50,
    sort: Annotated[str | None, Query(max_length=40, pattern="^-?[a-z_]+$")] = None,
    format: Annotated[str | None, Query(pattern="^(csv|xlsx)$")] = None,
) -> ListParams:
    """Paging, sorting and export parameters of a list page."""
    return ListParams(page, size, sort, format)


ListDep = Annotated[ListParams, Depends(list_params)]


@dataclass(frozen=True)
class Pager:
    """What the template needs to draw the pager: totals and the pages around this one."""

    total: int
    page: int
    pages: int
    first: int
    last: int


def pager(result: Page, params: ListParams) -> Pager:
    """The pager of one page of a list."""
    pages = max(1, ceil(result.total / params.size))
    first = params.offset + 1 if result.items else 0
    return Pager(result.total, params.page, pages, first, params.offset + len(result.items))


EXPORT_LIMIT = 100_000  # rows in one export; beyond it, narrow the filters


def all_rows(fetch: Callable[[int, int], Page], batch: int = 1000) -> list[dict[str, Any]]:
    """Every row a filtered list matches (up to EXPORT_LIMIT), read page by page."""
    rows: list[dict[str, Any]] = []
    while len(rows) < EXPORT_LIMIT:
        result = fetch(batch, len(rows))
        rows.extend(result.items)
        if len(result.items) < batch:
            break
    return rows
