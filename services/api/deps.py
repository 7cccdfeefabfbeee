"""Request dependencies: the container, paging, jurisdiction, and refusing unknown parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from domain.shared.regions import check_prefix
from projections.runtime.query import Page
from services.container import Container
from services.errors import Problem

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000  # far beyond any list; keeps the number inside every store's range


async def get_container(request: Request) -> Container:
    """The container built at start-up (async: no worker-thread hop for a dict look-up)."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _declared(route: APIRoute) -> set[str]:
    return _query_names(route.dependant)


async def reject_unknown_query(request: Request) -> None:
    """A query parameter the endpoint does not know is a 422 naming it, never ignored."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - _declared(route))
    if unknown:
        raise Problem(
            422,
            "Invalid request",
            f"unknown query parameter {', '.join(unknown)}; this endpoint takes: "
            + (", ".join(sorted(_declared(route))) or "none"),
            [{"field": f"query.{name}", "reason": "unknown parameter"} for name in unknown],
        )


@dataclass(frozen=True)
class Paging:
    """Which page of a list: at most `limit` items after `offset`."""

    limit: int
    offset: int


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most items on one page")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (at most 1,000,000,000)")
    ] = 0,
) -> Paging:
    """The page asked for; out-of-range numbers are a 422 before any query runs."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


def page_of(request: Request, result: Page, items: list[Any] | None = None) -> dict[str, Any]:
    """A view's page in the API's one page shape, with the link to the next page."""
    after = result.offset + result.limit
    following = None
    if after < result.total:
        query = request.query_params.multi_items()
        kept = [(k, v) for k, v in query if k != "offset"] + [("offset", str(after))]
        following = request.url.path + "?" + urlencode(kept)
    return {
        "items": result.items if items is None else items,
        "total": result.total,
        "limit": result.limit,
        "offset": result.offset,
        "next": following,
    }


def region_prefix(region: str | None, field: str = "region") -> str | None:
    """A checked jurisdiction prefix, or None."""
    return check_prefix(region, field) if region else None


Region = Annotated[
    str | None, Query(description="Jurisdiction: a division-code prefix, e.g. 330106 or 330106001")
]


def period_of(container: Container, period: str | None) -> str:
    """The month capacity is counted in: the given one, or the current month."""
    if period is None:
        return f"{container.clock():%Y-%m}"
    if len(period) != 7 or period[4] != "-" or not (period[:4] + period[5:]).isdigit():
        raise Problem(422, "Invalid value", "period: must be a month, YYYY-MM")
    return period
