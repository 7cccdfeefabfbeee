"""HSDS 3.0 documents imported: never stricter than the standard, all or nothing, ids kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.hsds import spec
from services.settings import Settings
from tests.e2e.conftest import eventually
from tests.hsds_documents import EXAMPLE_PROPERTIES, attribute, hid, location, organization, service
from tests.support.signed_in import SignedIn

pytestmark = pytest.mark.e2e
IMPORT = "/v1/hsds/import?region_code=330106"


def head(client: TestClient) -> int:
    return client.get("/v1/health").json()["log_head"]


def records(answer: Any) -> dict[str, dict[str, Any]]:
    body = answer.json()
    report = body.get("report", body)
    return {f"{r['hsds_type']}:{r['hsds_id']}": r for r in report["records"]}


def offerings(client: TestClient, count: int) -> list[dict[str, Any]]:
    page = eventually(
        lambda: client.get("/v1/services").json(),
        lambda p: p["total"] == count,
    )
    return page["items"]


def _keys(value: Any, name: str, out: dict[str, set[str]]) -> None:
    """Properties used, by object name (a list's items named by the singular of its key)."""
    if isinstance(value, dict):
        out.setdefault(name, set()).update(value)
        for key, child in value.items():
            _keys(child, "address" if key == "addresses" else key.removesuffix("s"), out)
    elif isinstance(value, list):
        for child in value:
            _keys(child, name, out)


def test_the_documents_written_here_use_every_property_of_the_specs_full_examples() -> None:
    used: dict[str, set[str]] = {}
    document = service("Home care")
    _keys(document, "service", used)
    for name, properties in EXAMPLE_PROPERTIES.items():
        assert properties <= used.get(name, set()), name
    assert list(spec.validator("service", strict=True).iter_errors(document)) == []
    org = organization("Wenxin", services=[service("Meals")])
    assert list(spec.validator("organization", strict=True).iter_errors(org)) == []


def test_a_full_service_imports_and_what_is_not_modelled_is_reported(client: TestClient) -> None:
    document = service("Home care")
    answer = client.post(IMPORT, json=document)
    assert answer.status_code == 200, answer.text
    line = records(answer)[f"service:{document['id']}"]
    assert line["actions"] == ["offering.published.v2"]
    assert {"phones", "schedules", "program", "required_documents", "metadata"} <= set(
        line["ignored"]
    )
    [offering] = offerings(client, 1)
    assert (offering["category"], offering["need_type"], offering["cost_fen"]) == (
        "care",
        "care",
        3050,
    )
    assert offering["areas"] == ["330106"]
    assert offering["location"]["region_code"] == "330106002051"


def test_the_oddities_of_the_specs_examples_are_noted_never_refused(client: TestClient) -> None:
    document = service("Counselling")
    place = location("Counselling", code=None, lat=100)  # a UPRN and a latitude of 100
    document["service_at_locations"][0]["location"] = place
    document["cost_options"][0]["currency"] = "gbp"
    document["service_areas"][0].update(extent="extent", extent_type="geojson")
    answer = client.post(IMPORT, json=document)
    assert answer.status_code == 200, answer.text
    notes = " ".join(records(answer)[f"service:{document['id']}"]["notes"])
    for expected in (
        "not on Earth",
        "gbp",
        "GeoJSON extent is not GeoJSON",
        "no cn-administrative",
    ):
        assert expected in notes
    [offering] = offerings(client, 1)
    assert offering["areas"] == ["330106"] and offering["cost_fen"] == 0


def test_a_service_the_mapping_cannot_classify_is_refused_and_nothing_is_written(
    client: TestClient,
) -> None:
    document = service("Counselling", attributes=[attribute("c", "taxonomy", "code")])
    before = head(client)
    refused = client.post(IMPORT, json=document)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in refused.json()["errors"]} == {"category", "need_type"}
    assert "GET /v1/hsds/taxonomies" in refused.json()["errors"][0]["reason"]
    assert head(client) == before
    taken = client.post(IMPORT + "&category=psychological&need_type=care", json=document)
    assert taken.status_code == 200
    assert (
        "category psychological: the request's default"
        in records(taken)[f"service:{document['id']}"]["notes"]
    )


def test_a_term_of_a_mapped_taxonomy_is_classified_by_the_declared_mapping(
    client: TestClient,
) -> None:
    health = attribute("h", "Open Eligibility", "health")
    answer = client.post(IMPORT, json=service("Clinic", attributes=[health]))
    assert answer.status_code == 200, answer.text
    [offering] = offerings(client, 1)
    assert (offering["category"], offering["need_type"]) == ("medical", "survival")


def test_an_organization_with_its_services_imports(client: TestClient) -> None:
    services = [service("Meals"), service("Visits")]
    for item in services:  # as in the specification's organization_full.json
        del item["organization"]
    document = organization("Wenxin", services=services)
    answer = client.post(IMPORT, json=document)
    assert answer.status_code == 200, answer.text
    assert answer.json()["stored"] == 3
    assert {o["provider_id"] for o in offerings(client, 2)} == {
        records(answer)[f"organization:{document['id']}"]["record_id"]
    }


def test_a_page_with_one_bad_record_imports_nothing_and_reports_every_record(
    client: TestClient,
) -> None:
    good = service("Meals")
    orphan = {**service("Visits"), "organization_id": hid("nobody")}
    del orphan["organization"]
    before = head(client)
    refused = client.post(IMPORT, json={"total_items": 2, "contents": [good, orphan]})
    assert refused.status_code == 422
    lines = records(refused)
    assert lines[f"service:{good['id']}"]["errors"] == []
    assert lines[f"service:{orphan['id']}"]["errors"][0]["field"] == "organization_id"
    assert head(client) == before


def test_geojson_areas_map_by_division_code_or_by_containment(client: TestClient) -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[120, 30], [121, 30], [121, 31], [120, 31], [120, 30]]],
    }
    areas = [
        {"id": hid("a1"), "extent_type": "geojson", "extent": json.dumps(
            {"type": "Feature", "properties": {"adcode": 330108}, "geometry": square})},
        {"id": hid("a2"), "extent_type": "geojson", "extent": json.dumps(square)},
        {"id": hid("a3"), "extent_type": "topojson", "extent": "{}"},
    ]  # fmt: skip
    answer = client.post(IMPORT, json=service("Meals", service_areas=areas))
    assert answer.status_code == 200, answer.text
    [offering] = offerings(client, 1)
    assert offering["areas"] == ["330106002051", "330108"]
    assert any("topojson" in n for n in records(answer)[f"service:{hid('Meals')}"]["notes"])


def test_changed_content_is_an_update_of_the_same_record(client: TestClient) -> None:
    first = client.post(IMPORT, json=service("Meals"))
    [before] = offerings(client, 1)
    changed = client.post(IMPORT, json=service("Meals", description="Hot meals, delivered"))
    assert records(changed)[f"service:{hid('Meals')}"]["actions"] == ["offering.updated.v2"]
    again = client.post(IMPORT, json=service("Meals", description="Hot meals, delivered"))
    assert records(again)[f"service:{hid('Meals')}"]["actions"] == ["unchanged"]
    after = eventually(
        lambda: client.get(f"/v1/services/{before['offering_id']}").json(),
        lambda o: o["description"] == "Hot meals, delivered",
    )
    assert first.status_code == 200 and after["offering_id"] == before["offering_id"]


def test_ids_round_trip_and_a_republished_directory_is_recognised(
    demo_client: TestClient, tmp_path: Any
) -> None:
    exported = eventually(
        lambda: demo_client.get("/v1/hsds/services?full=true&per_page=500").json(),
        lambda d: d["total_items"] >= 4,
    )
    ids = {s["id"] for s in exported["contents"]}
    organizations = {s["organization_id"] for s in exported["contents"]}
    with SignedIn(create_app(Settings(data_dir=tmp_path / "other", demo=False))) as other:
        assert other.post(IMPORT, json=exported).status_code == 200
        republished = eventually(
            lambda: other.get("/v1/hsds/services?full=true&per_page=500").json(),
            lambda d: {s["id"] for s in d["contents"]} == ids,
        )
    assert {s["organization_id"] for s in republished["contents"]} == organizations
    count = exported["total_items"]
    back = demo_client.post(IMPORT, json=republished)
    assert back.status_code == 200, back.text
    assert back.json()["stored"] == 0
    again = demo_client.get("/v1/hsds/services?full=true&per_page=500").json()
    assert again["total_items"] == count


def test_a_document_that_is_not_hsds_is_refused_naming_the_field(client: TestClient) -> None:
    answer = client.post(
        IMPORT, json={"contents": [{"id": "not-a-uuid", "name": "x", "status": "open"}]}
    )
    assert answer.status_code == 422
    assert {"contents[0]/id", "contents[0]/status"} <= {e["field"] for e in answer.json()["errors"]}


def test_an_import_in_another_content_type_is_a_415(client: TestClient) -> None:
    answer = client.post(
        IMPORT, content=json.dumps(service("Meals")), headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 415


def test_a_document_using_every_example_property_round_trips_through_two_instances(
    client: TestClient, tmp_path: Any
) -> None:
    document = service("Home care")
    document["service_areas"].append(
        {
            "id": hid("village"),
            "name": "Wenxin village",
            "extent": "330106002051",
            "extent_type": "text",
        }
    )
    document["attributes"] += [
        attribute("Home care", "zhulian-capacity", "monthly_capacity", "40"),
        attribute("Home care", "zhulian-capacity", "capacity_unit", "person-times"),
        attribute("Home care", "zhulian-assistance-status", "dibao"),
    ]
    assert client.post(IMPORT, json=document).status_code == 200
    exported = eventually(
        lambda: client.get(f"/v1/hsds/services/{document['id']}").json(),
        lambda s: s["id"] == document["id"],
    )
    assert list(spec.validator("service", strict=True).iter_errors(exported)) == []
    assert exported["organization_id"] == document["organization"]["id"]
    for key in (
        "name",
        "description",
        "status",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
    ):
        assert exported[key] == document[key], key
    assert exported["cost_options"][0]["amount"] == 30.5
    assert exported["funding"][0]["source"] == document["funding"][0]["source"]
    assert sorted(a["extent"] for a in exported["service_areas"]) == ["330106", "330106002051"]
    place = exported["service_at_locations"][0]["location"]
    assert (place["external_identifier"], place["latitude"], place["longitude"]) == (
        "330106002051",
        30.27,
        120.13,
    )
    codes = {a["taxonomy_term"]["code"]: a.get("value") for a in exported["attributes"]}
    assert codes["monthly_capacity"] == "40" and "dibao" in codes
    with SignedIn(create_app(Settings(data_dir=tmp_path / "third", demo=False))) as third:
        assert third.post(IMPORT, json=exported).status_code == 200
        again = eventually(
            lambda: third.get(f"/v1/hsds/services/{document['id']}").json(),
            lambda s: s["id"] == document["id"],
        )
    assert again == exported


def test_an_empty_name_valid_in_hsds_is_taken_with_a_name_made_for_it(client: TestClient) -> None:
    nameless = {**service("Meals"), "name": "", "alternate_name": ""}
    answer = client.post(IMPORT, json=nameless)
    assert answer.status_code == 200, answer.text
    [offering] = offerings(client, 1)
    assert offering["name"] == f"HSDS service {hid('Meals')}"


def test_one_service_id_twice_in_a_document_is_refused_before_anything_is_written(
    client: TestClient,
) -> None:
    before = head(client)
    twice = {"contents": [service("Meals"), service("Meals", description="other")]}
    refused = client.post(IMPORT, json=twice)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "contents[1]/id",
            "reason": "a second service with this id in the document; each id names one service",
        }
    ]
    assert head(client) == before
