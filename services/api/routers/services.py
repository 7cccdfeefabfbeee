"""The services list as Open Referral HSDS 3.0: export, the schema, and import."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from jsonschema import Draft202012Validator, FormatChecker

from domain.shared.regions import check_prefix, check_region
from projections.services_list.queries import (
    all_offerings,
    get_offering,
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
