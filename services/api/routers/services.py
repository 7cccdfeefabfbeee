"""The services list (服务清单) and its HSDS 3.0 export and import."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Query, Request
from jsonschema import Draft202012Validator, FormatChecker

from domain.shared.regions import check_prefix, check_region
from domain.shared.taxonomy import Category, NeedType
from domain.supply.vocabulary import ProviderKind
from projections.household_file.queries import get_household
from projections.runtime.query import Page
from projections.services_list.queries import (
    ServiceFilter,
    all_offerings,
    get_offering,
    list_offerings,
    list_providers,
)
from services.api.deps import ContainerDep
from services.container import Container
from services.errors import Problem
from services.hsds import mapping
from services.hsds.schema import DIRECTORY, SERVICE
from services.ingest.catalogue import PREFIX

router = APIRouter(prefix="/v1", tags=["services"])

Region = Annotated[str | None, Query(description="A division-code prefix, e.g. 330106")]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def _page(result: Page) -> dict[str, Any]:
    return {
        "items": result.items,
        "total": result.total,
        "limit": result.limit,
        "offset": result.offset,
    }


def period_of(container: Container, period: str | None) -> str:
    """The month capacity is counted in: the given one, or the current month."""
    if period is None:
        return f"{container.clock():%Y-%m}"
    if len(period) != 7 or period[4] != "-" or not (period[:4] + period[5:]).isdigit():
        raise Problem(422, "Invalid value", "period: must be a month, YYYY-MM")
    return period


def household_filter(container: Container, household_id: UUID) -> dict[str, Any]:
    """What the household file says about coverage and eligibility."""
    found = get_household(container.store, str(household_id))
    if found is None:
        raise Problem(404, "Not found", f"no household file {household_id}")
    members = found["members"] or []
    groups = {c for m in members for c in m.get("circumstances") or []}
    if found["household_group"]:
        groups.add(found["household_group"])
    return {
        "covers": found["region_code"],
        "statuses": tuple(found["assistance"] or ()),
        "groups": tuple(sorted(groups)),
        "disabled": "disability" in groups,
    }


@router.get("/services", summary="The services list (服务清单)")
def services(
    container: ContainerDep,
    need_type: NeedType | None = None,
    category: Category | None = None,
    region: Region = None,
    covers: Annotated[str | None, Query(description="Only offerings covering this code")] = None,
    household_id: Annotated[
        UUID | None, Query(description="Only offerings covering and admitting this household")
    ] = None,
    assistance: Annotated[list[str] | None, Query(description="Statuses held")] = None,
    age: Annotated[int | None, Query(ge=0, le=150)] = None,
    with_capacity: Annotated[bool, Query(description="Only with capacity left")] = False,
    period: Annotated[str | None, Query(description="Month for capacity, YYYY-MM")] = None,
    status: Annotated[str | None, Query(pattern="^(active|closed)$")] = "active",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Offerings by type, category, coverage, eligibility and remaining capacity."""
    extra = household_filter(container, household_id) if household_id else {}
    if covers:
        extra["covers"] = check_region(covers, "covers")
    if assistance is not None:
        extra["statuses"] = tuple(assistance)
    f = ServiceFilter(
        need_type=need_type and need_type.value,
        category=category and category.value,
        region=check_prefix(region) if region else None,
        age=age,
        status=status,
        with_capacity=with_capacity,
        **extra,
    )
    month = period_of(container, period)
    return {
        **_page(list_offerings(container.store, f, period=month, limit=limit, offset=offset)),
        "period": month,
    }


@router.get("/services/{offering_id}", summary="One offering with its capacity this month")
def service(
    offering_id: UUID, container: ContainerDep, period: str | None = None
) -> dict[str, Any]:
    """One offering of the services list."""
    found = get_offering(container.store, str(offering_id), period_of(container, period))
    if found is None:
        raise Problem(404, "Not found", f"no offering {offering_id}")
    return found


@router.get("/providers", summary="Departments, providers, social organisations, volunteers")
def providers(
    container: ContainerDep,
    region: Region = None,
    kind: ProviderKind | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The forces of the alliance."""
    return _page(
        list_providers(
            container.store,
            region=check_prefix(region) if region else None,
            kind=kind and kind.value,
            limit=limit,
            offset=offset,
        )
    )


def export_services(container: Container, region: str | None = None) -> list[dict[str, Any]]:
    """Every offering of a jurisdiction as HSDS services."""
    now = container.clock()
    period = f"{now:%Y-%m}"
    provider_rows = {
        p["provider_id"]: p for p in list_providers(container.store, limit=10**6).items
    }
    out = []
    for row in all_offerings(container.store, region):
        full = get_offering(container.store, row["offering_id"], period) or row
        out.append(
            mapping.service(full, provider_rows[row["provider_id"]], updated=now.isoformat())
        )
    return out


@router.get("/hsds/services", summary="The services list as HSDS 3.0 JSON")
def hsds_services(container: ContainerDep, region: Region = None) -> dict[str, Any]:
    """A page holding every service, each with its organization, areas, location, cost, capacity."""
    contents = export_services(container, check_prefix(region) if region else None)
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


@router.get("/hsds/schema", summary="The JSON Schema of the HSDS objects zhulian exchanges")
def hsds_schema() -> dict[str, Any]:
    """Our transcription of the HSDS 3.0 service and its related objects."""
    return SERVICE


@cache
def _directory_validator() -> Draft202012Validator:
    return Draft202012Validator(DIRECTORY, format_checker=FormatChecker())


def _event(kind: str, publisher: str, ident: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": ident,
        "source": f"/hsds/{publisher}",
        "type": PREFIX + kind,
        "data": data,
    }


@router.post("/hsds/import", summary="Import an HSDS directory as offering events")
async def hsds_import(
    request: Request,
    container: ContainerDep,
    region_code: Annotated[str, Query(description="Home region of organizations without one")],
    publisher: Annotated[str, Query(pattern="^[a-z0-9-]{1,40}$")] = "import",
) -> dict[str, Any]:
    """Organizations → provider.registered, services → offering.published (+ closed)."""
    # Through the ordinary ingest path with ids from the HSDS ids: a re-import changes nothing.
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError as error:
        raise Problem(400, "Malformed JSON", f"the body is not valid JSON: {error}") from None
    errors = sorted(_directory_validator().iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        listed = [
            {"field": "/".join(str(p) for p in e.absolute_path) or "body", "reason": e.message}
            for e in errors[:20]
        ]
        raise Problem(422, "Invalid HSDS", f"{listed[0]['field']}: {listed[0]['reason']}", listed)
    region = check_region(region_code, "region_code")
    results: list[dict[str, Any]] = []
    providers: dict[str, str] = {}
    for svc in body["contents"]:
        org = svc.get("organization") or {"id": svc.get("organization_id"), "name": "?"}
        if org["id"] not in providers:
            r = container.ingestor.submit(
                _event(
                    "provider.registered.v1",
                    publisher,
                    mapping.organization_key(org),
                    mapping.provider_data(org, region),
                )
            )
            results.append(r.as_json())
            if r.outcome is None:
                continue
            providers[org["id"]] = str(r.outcome.aggregate_id)
        data = mapping.offering_data(svc, providers[org["id"]], region)
        r = container.ingestor.submit(
            _event("offering.published.v1", publisher, f"hsds-service-{svc['id']}", data)
        )
        results.append(r.as_json())
        if r.outcome is not None and svc["status"] != "active":
            closed = {
                "offering_id": str(r.outcome.aggregate_id),
                "department": "hsds-import",
                "reason": f"HSDS status {svc['status']}",
            }
            results.append(
                container.ingestor.submit(
                    _event(
                        "offering.closed.v1", publisher, f"hsds-service-{svc['id']}-closed", closed
                    )
                ).as_json()
            )
    container.nudge()
    counts = {
        k: sum(1 for i in results if i.get("result") == k)
        for k in ("stored", "duplicate", "rejected")
    }
    return {"results": results, **counts}
