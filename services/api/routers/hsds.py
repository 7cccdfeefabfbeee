"""Open Referral HSDS 3.0: the directory as the specification's documents; the import command."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from domain.shared.months import month_of
from domain.shared.taxonomy import Category, NeedType
from services import divisions
from services.api.deps import ContainerDep
from services.api.problems import PROBLEM
from services.container import Container
from services.errors import Problem
from services.hsds import spec, taxonomy
from services.hsds.directory import Directory, paged
from services.hsds.importer import ImportRefused, run
from services.hsds.records import Defaults
from services.ingest.media_types import parse_media_type

router = APIRouter(prefix="/v1/hsds", tags=["hsds"])

Region = Annotated[str | None, Query(description="A division-code prefix, e.g. 330106")]
PageNumber = Annotated[int, Query(ge=1, le=10**6, description="Page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=500, description="Results per page")]
Full = Annotated[bool, Query(description="Fully nested documents instead of list items")]


def _directory(container: Container, region: str | None) -> Directory:
    period = month_of(container.clock())
    where = divisions.check_known_prefix(region) if region else None
    return Directory.read(container.store, period, where)


def _one(found: list[dict[str, Any]], wanted: UUID, what: str) -> dict[str, Any]:
    for document in found:
        if document["id"] == str(wanted):
            return document
    raise Problem(404, "Not found", f"no HSDS {what} {wanted}")


@router.get("/services", summary="The services list as an HSDS 3.0 page")
def services(
    container: ContainerDep,
    region: Region = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    full: Full = False,
) -> dict[str, Any]:
    """Items of compiled/service_list.json; `full=true`: complete services."""
    return paged(_directory(container, region).services(full=full), page, per_page)


@router.get("/services/{service_id}", summary="One HSDS 3.0 service (compiled/service.json)")
def service(container: ContainerDep, service_id: UUID) -> dict[str, Any]:
    """A service with its organization, areas, locations, cost, funding and attributes."""
    return _one(_directory(container, None).services(full=True), service_id, "service")


@router.get("/organizations", summary="Providers as an HSDS 3.0 page")
def organizations(
    container: ContainerDep,
    region: Region = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    full: Full = False,
) -> dict[str, Any]:
    """Items of compiled/organization_list.json; `full=true`: with their services."""
    return paged(_directory(container, region).organizations(full=full), page, per_page)


@router.get("/organizations/{organization_id}", summary="One HSDS 3.0 organization")
def organization(container: ContainerDep, organization_id: UUID) -> dict[str, Any]:
    """An organization with its locations and services (compiled/organization.json)."""
    return _one(
        _directory(container, None).organizations(full=True), organization_id, "organization"
    )


@router.get("/locations", summary="Where services are given, as HSDS 3.0 locations")
def locations(
    container: ContainerDep, region: Region = None, page: PageNumber = 1, per_page: PerPage = 50
) -> dict[str, Any]:
    """Locations (schema/location.json), their division code as external identifier."""
    return paged(_directory(container, region).locations(), page, per_page)


@router.get("/locations/{location_id}", summary="One HSDS 3.0 location")
def location(container: ContainerDep, location_id: UUID) -> dict[str, Any]:
    """One location."""
    return _one(_directory(container, None).locations(), location_id, "location")


@router.get("/schema", summary="The HSDS 3.0 documents whose JSON Schemas are served")
def schemas() -> dict[str, Any]:
    """Links to each document's schema, lenient and strict."""
    return {
        "version": spec.VERSION,
        "about": spec.facts()["about"],
        "documents": {d: f"/v1/hsds/schema/{d}" for d in spec.documents()},
    }


@router.get("/schema/{document}", summary="JSON Schema of one HSDS 3.0 document")
def schema(document: str, strict: bool = False) -> dict[str, Any]:
    """As the specification publishes it; `strict=true`: no property beyond 3.0 anywhere."""
    if document not in spec.documents():
        raise Problem(404, "Not found", f"no HSDS document {document!r}")
    return spec.schema(document, strict=strict)


@router.get("/taxonomies", summary="Our taxonomies and the declared mapping an import uses")
def taxonomies() -> dict[str, Any]:
    """The terms we publish and how imported terms map to need type and category."""
    return taxonomy.data()


@router.post(
    "/import",
    summary="Import an HSDS 3.0 document: all or nothing, with a report",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": "An HSDS 3.0 service, organization or service_at_location"
                        " (see /v1/hsds/schema), or a page of them ({contents: [...]})",
                    }
                }
            },
        }
    },
)
async def import_document(
    request: Request,
    container: ContainerDep,
    region_code: Annotated[str, Query(description="Region of records the document does not place")],
    category: Annotated[
        Category | None, Query(description="Category of services the mapping does not classify")
    ] = None,
    need_type: Annotated[
        NeedType | None, Query(description="Need type of services the mapping does not classify")
    ] = None,
) -> JSONResponse:
    """A service, an organization or a page of either → provider and offering events."""
    media_type = parse_media_type(request.headers.get("content-type", ""))
    if media_type is None or not media_type.is_json:
        raise Problem(415, "Unsupported media type", "send the HSDS document as application/json")
    try:
        document = orjson.loads(await request.body())
    except orjson.JSONDecodeError as error:
        raise Problem(400, "Malformed JSON", f"the body is not valid JSON: {error}") from None
    defaults = Defaults(
        divisions.check_code(region_code, "region_code"),
        category and category.value,
        need_type and need_type.value,
    )
    period = month_of(container.clock())
    try:
        report = await container.writes.run(
            partial(run, document, container.ingestor, container.store, defaults, period)
        )
    except ImportRefused as refused:
        body = {**refused.problem.as_json(), "report": refused.report}
        return JSONResponse(body, refused.problem.status, media_type=PROBLEM)
    container.nudge()
    return JSONResponse(report, 200 if report["result"] == "imported" else 409)
