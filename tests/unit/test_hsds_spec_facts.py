"""The HSDS 3.0 facts that matter, each with its source, reproduced by the schemas we serve.

Source of every fact: the Open Referral specification repository (openreferral/specification),
tag v3.0 (commit c457a0e3ecb0cfe43525ea8bcdbfd62542ed6730), at the file named beside it.
The strict check is the one the specification's CI runs on its examples
(validate_examples_json_schema.sh: compiletojsonschema --set-additional-properties-false-everywhere,
then check-jsonschema, which checks formats).
"""

from __future__ import annotations

from typing import Any

import pytest

from services.hsds import spec

# (file at tag v3.0, document, JSON path of the object inside it, required properties)
REQUIRED = [
    ("schema/service.json", "service", (), ["id", "name", "status"]),
    ("schema/organization.json", "organization", (), ["id", "name", "description"]),
    ("schema/location.json", "location", (), ["id", "location_type"]),
    ("schema/taxonomy_term.json", "taxonomy_term", (), ["id", "name", "description"]),
    ("schema/taxonomy.json", "taxonomy", (), ["id", "name", "description"]),
    ("schema/program.json", "service", ("program",), ["id", "name", "description"]),
    ("schema/phone.json", "service", ("phones",), ["id", "number"]),
    (
        "schema/address.json",
        "location",
        ("addresses",),
        ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
    ),
    (
        "schema/organization_identifier.json",
        "organization",
        ("organization_identifiers",),
        ["id", "identifier_type", "identifier"],
    ),
    (
        "schema/metadata.json",
        "service",
        ("metadata",),
        [
            "id",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ],
    ),
    ("schema/attribute.json", "service", ("attributes",), ["id"]),
    ("schema/service_area.json", "service", ("service_areas",), ["id"]),
    ("schema/cost_option.json", "service", ("cost_options",), ["id"]),
]
ENUMS = [
    (
        "schema/service.json",
        "service",
        ("status",),
        ["active", "inactive", "defunct", "temporarily closed"],
    ),
    ("schema/location.json", "location", ("location_type",), ["physical", "postal", "virtual"]),
    (
        "schema/address.json",
        "location",
        ("addresses", "address_type"),
        ["physical", "postal", "virtual"],
    ),
    ("schema/schedule.json", "service", ("schedules", "freq"), ["WEEKLY", "MONTHLY"]),
    (
        "schema/schedule.json",
        "service",
        ("schedules", "wkst"),
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    ),
]
TYPES = [
    ("schema/service.json", "service", ("minimum_age",), {"type": "number"}),
    ("schema/service.json", "service", ("url",), {"type": "string", "format": "uri"}),
    ("schema/service.json", "service", ("email",), {"type": "string", "format": "email"}),
    (
        "schema/service.json",
        "service",
        ("last_modified",),
        {"type": "string", "format": "date-time"},
    ),
    ("schema/service.json", "service", ("assured_date",), {"type": "string"}),
    ("schema/service.json", "service", ("id",), {"type": "string", "format": "uuid"}),
    ("schema/location.json", "location", ("latitude",), {"type": "number"}),
    ("schema/cost_option.json", "service", ("cost_options", "currency"), {"type": "string"}),
    ("schema/cost_option.json", "service", ("cost_options", "amount"), {"type": "number"}),
    ("schema/phone.json", "service", ("phones", "extension"), {"type": "number"}),
    ("schema/service_area.json", "service", ("service_areas", "extent_type"), {"type": "string"}),
    ("schema/attribute.json", "service", ("attributes", "value"), {"type": "string"}),
    ("schema/organization.json", "organization", ("year_incorporated",), {"type": "number"}),
    ("schema/schedule.json", "service", ("schedules", "timezone"), {"type": "number"}),
]
# Properties of the objects each compiled list item may carry (schema/compiled/*_list.json).
LIST_ITEMS = [
    ("schema/compiled/service_list.json", "service_list", {"organization", "program"}),
    ("schema/compiled/organization_list.json", "organization_list", set()),
    (
        "schema/compiled/service_at_location_list.json",
        "service_at_location_list",
        {"location", "service"},
    ),
]
PAGE = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"]


def _node(document: str, path: tuple[str, ...]) -> dict[str, Any]:
    schema = spec.schema(document)
    node: dict[str, Any] = schema
    for part in path:
        node = node["properties"][part]
        node = node.get("items", node)
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


@pytest.mark.parametrize(("source", "document", "path", "required"), REQUIRED)
def test_required_properties_are_those_of_the_spec(source, document, path, required) -> None:
    assert sorted(_node(document, path)["required"]) == sorted(required), source


@pytest.mark.parametrize(("source", "document", "path", "values"), ENUMS)
def test_enumerations_are_those_of_the_spec(source, document, path, values) -> None:
    assert _node(document, path)["enum"] == values, source


@pytest.mark.parametrize(("source", "document", "path", "expected"), TYPES)
def test_types_and_formats_are_those_of_the_spec(source, document, path, expected) -> None:
    node = _node(document, path)
    assert {k: node[k] for k in ("type", "format") if k in node} == expected, source


def test_a_taxonomy_term_needs_a_description_and_no_code() -> None:
    # schema/taxonomy_term.json at v3.0: required id, name, description; code is optional.
    term = _node("taxonomy_term", ())
    assert "description" in term["required"] and "code" not in term["required"]


def test_capacities_are_not_a_property_of_a_3_0_service() -> None:
    # schema/service.json at v3.0 has no capacities (service_capacity and unit came later).
    assert "capacities" not in _node("service", ())["properties"]
    assert "service_capacity" not in spec.facts()["objects"]


@pytest.mark.parametrize(("source", "document", "objects"), LIST_ITEMS)
def test_list_items_carry_only_their_named_objects(source, document, objects) -> None:
    properties = _node(document, ())["properties"]
    nested = {k for k, v in properties.items() if v.get("type") != "string" and "$ref" in str(v)}
    assert nested == objects, source


def test_the_page_wrapper_is_the_openapi_page() -> None:
    # schema/openapi.json at v3.0, components.schemas.Page.
    assert list(spec.facts()["page"]["properties"]) == PAGE


def test_strict_refuses_what_lenient_allows_an_unknown_property() -> None:
    service = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "x", "status": "active"}
    extended = {**service, "capacities": []}
    assert not list(spec.validator("service").iter_errors(extended))
    assert [e.validator for e in spec.validator("service", strict=True).iter_errors(extended)] == [
        "additionalProperties"
    ]


def test_formats_are_checked_as_the_spec_ci_does() -> None:
    bad = {"id": "not-a-uuid", "name": "x", "status": "active", "url": "not a uri"}
    failed = {e.absolute_path[0] for e in spec.validator("service").iter_errors(bad)}
    assert failed == {"id", "url"}
