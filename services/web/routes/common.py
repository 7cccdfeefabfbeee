"""What several pages share: the region filter, links to household files, list responses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from domain.shared.regions import check_prefix
from projections.runtime.query import Page
from services.auth.jurisdiction import scoped_region
from services.container import Container
from services.web import exports, i18n
from services.web.render import render, use_locale
from services.web.table import Column, ListParams, all_rows, pager


def container_of(request: Request) -> Container:
    """The process's container, built at start-up (the pages do not import the API package)."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(container_of)]
Region = Annotated[str | None, Query(max_length=12, pattern="^[0-9]*$")]


def region_filter(region: str | None) -> str | None:
    """A checked region prefix cut to the caller's jurisdiction, or None for everything."""
    return scoped_region(check_prefix(region) if region else None)


def household_href(row: dict[str, Any]) -> str:
    """The page of a row's household file."""
    return f"/ui/households/{row['household_id']}"


def list_response(
    request: Request,
    params: ListParams,
    *,
    what: str,
    title: str,
    columns: Sequence[Column],
    fetch: Callable[[int, int], Page],
    template: str = "list.html",
    **context: Any,
) -> Response:
    """One page of a list as HTML, or every matching row as CSV / Excel."""
    use_locale(i18n.locale_of(request))
    if params.format:
        return exports.export(request, what, title, columns, all_rows(fetch))
    result = fetch(params.size, params.offset)
    return render(
        request,
        template,
        title=title,
        columns=columns,
        rows=result.items,
        pager=pager(result, params),
        **context,
    )
