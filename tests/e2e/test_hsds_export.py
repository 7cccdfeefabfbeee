"""The directory exported as HSDS 3.0: every document valid, leniently and strictly."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.hsds import spec
from tests.e2e.conftest import eventually

pytestmark = pytest.mark.e2e


def errors(document: str, value: Any, *, strict: bool, page: bool = False) -> list[str]:
    validator = spec.validator(document, strict=strict, page=page)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]


def full_services(client: TestClient) -> dict[str, Any]:
    return eventually(
        lambda: client.get("/v1/hsds/services", params={"full": "true"}).json(),
        lambda d: d["total_items"] >= 4,
    )


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_every_exported_document_validates_against_hsds_3_0(
    demo_client: TestClient, strict: bool
) -> None:
    full = full_services(demo_client)
    for service in full["contents"]:
        assert errors("service", service, strict=strict) == []
        one = demo_client.get(f"/v1/hsds/services/{service['id']}").json()
        assert one == service
    listed = demo_client.get("/v1/hsds/services").json()
    assert errors("service_list", listed, strict=strict, page=True) == []
    organizations = demo_client.get("/v1/hsds/organizations").json()
    assert errors("organization_list", organizations, strict=strict, page=True) == []
    for organization in demo_client.get("/v1/hsds/organizations?full=true").json()["contents"]:
        assert errors("organization", organization, strict=strict) == []
    locations = demo_client.get("/v1/hsds/locations").json()
    assert locations["total_items"] >= 1
    for place in locations["contents"]:
        assert errors("location", place, strict=strict) == []
        assert demo_client.get(f"/v1/hsds/locations/{place['id']}").json() == place


def test_taxonomy_terms_carry_a_description_and_capacity_rides_in_attributes(
    demo_client: TestClient,
) -> None:
    services = full_services(demo_client)["contents"]
    terms = [a["taxonomy_term"] for s in services for a in s["attributes"]]
    assert terms and all(t["description"] and t["name"] and t["id"] for t in terms)
    assert all("capacities" not in s for s in services)
    capacity = {
        a["taxonomy_term"]["code"]: a["value"]
        for s in services
        for a in s["attributes"]
        if a["taxonomy_term"]["taxonomy"] == "zhulian-capacity"
    }
    assert capacity["monthly_capacity"].isdigit() and capacity["capacity_unit"]


def test_pages_follow_the_specification_page_shape(demo_client: TestClient) -> None:
    total = full_services(demo_client)["total_items"]
    first = demo_client.get("/v1/hsds/services", params={"per_page": 3}).json()
    last = demo_client.get("/v1/hsds/services", params={"per_page": 3, "page": 2}).json()
    assert (first["size"], first["first_page"], first["total_pages"]) == (3, True, -(-total // 3))
    assert last["page_number"] == 2 and last["first_page"] is False
    seen = {s["id"] for s in first["contents"]} | {s["id"] for s in last["contents"]}
    assert len(seen) == first["size"] + last["size"]


def test_the_served_schemas_are_the_specification_documents(client: TestClient) -> None:
    index = client.get("/v1/hsds/schema").json()
    assert set(index["documents"]) >= {"service", "organization", "location", "service_list"}
    strict = client.get("/v1/hsds/schema/service", params={"strict": "true"}).json()
    assert strict["additionalProperties"] is False
    assert client.get("/v1/hsds/schema/capacities").status_code == 404
