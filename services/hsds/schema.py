"""Our JSON Schema of the HSDS 3.0 objects we export and import (transcribed field by field).

Field names and meanings follow Open Referral HSDS 3.0: service, organization, location,
service_at_location, service_area, funding, cost_option, attribute, taxonomy_term. Capacity
follows the later `service_capacity` / `unit` objects, as HSDS 3.0 itself has none.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_ID: Schema = {"type": "string", "format": "uuid"}
_TEXT: Schema = {"type": "string"}


def _obj(required: list[str], props: dict[str, Schema]) -> Schema:
    return {"type": "object", "properties": props, "required": required}


TAXONOMY_TERM = _obj(
    ["id", "code", "name"],
    {"id": _ID, "code": _TEXT, "name": _TEXT, "description": _TEXT, "taxonomy": _TEXT},
)
ATTRIBUTE = _obj(
    ["id", "taxonomy_term"],
    {
        "id": _ID,
        "link_id": _ID,
        "link_type": _TEXT,
        "link_entity": _TEXT,
        "value": _TEXT,
        "label": _TEXT,
        "taxonomy_term": {"$ref": "#/$defs/taxonomy_term"},
    },
)
ORGANIZATION = _obj(
    ["id", "name", "description"],
    {
        "id": _ID,
        "name": _TEXT,
        "alternate_name": _TEXT,
        "description": _TEXT,
        "email": _TEXT,
        "website": _TEXT,
        "legal_status": _TEXT,
        "parent_organization_id": _ID,
        "attributes": {"type": "array", "items": {"$ref": "#/$defs/attribute"}},
    },
)
LOCATION = _obj(
    ["id", "location_type"],
    {
        "id": _ID,
        "location_type": {"type": "string", "enum": ["physical", "postal", "virtual"]},
        "organization_id": _ID,
        "name": _TEXT,
        "description": _TEXT,
        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
        "external_identifier": _TEXT,
        "external_identifier_type": _TEXT,
    },
)
SERVICE_AT_LOCATION = _obj(
    ["id"],
    {
        "id": _ID,
        "service_id": _ID,
        "location_id": _ID,
        "description": _TEXT,
        "location": {"$ref": "#/$defs/location"},
    },
)
SERVICE_AREA = _obj(
    ["id"],
    {
        "id": _ID,
        "service_id": _ID,
        "name": _TEXT,
        "description": _TEXT,
        "extent": _TEXT,
        "extent_type": {"type": "string", "enum": ["geojson", "topojson", "kml", "text"]},
        "uri": _TEXT,
    },
)
FUNDING = _obj(["id"], {"id": _ID, "organization_id": _ID, "service_id": _ID, "source": _TEXT})
COST_OPTION = _obj(
    ["id"],
    {
        "id": _ID,
        "service_id": _ID,
        "valid_from": {"type": "string", "format": "date"},
        "valid_to": {"type": "string", "format": "date"},
        "option": _TEXT,
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "amount": {"type": "number", "minimum": 0},
        "amount_description": _TEXT,
    },
)
UNIT = _obj(
    ["id", "name"],
    {"id": _ID, "name": _TEXT, "scheme": _TEXT, "identifier": _TEXT, "uri": _TEXT},
)
SERVICE_CAPACITY = _obj(
    ["id", "unit", "available", "updated"],
    {
        "id": _ID,
        "service_id": _ID,
        "unit": {"$ref": "#/$defs/unit"},
        "available": {"type": "number"},
        "maximum": {"type": "number"},
        "description": _TEXT,
        "updated": {"type": "string", "format": "date-time"},
    },
)


def _many(name: str) -> Schema:
    return {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}


SERVICE: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zhulian.example/schemas/hsds-3.0/service.json",
    "title": "HSDS 3.0 service, as zhulian exports and imports it",
    **_obj(
        ["id", "name", "status"],
        {
            "id": _ID,
            "organization_id": _ID,
            "name": _TEXT,
            "alternate_name": _TEXT,
            "description": _TEXT,
            "url": _TEXT,
            "email": _TEXT,
            "status": {
                "type": "string",
                "enum": ["active", "inactive", "defunct", "temporarily closed"],
            },
            "application_process": _TEXT,
            "fees_description": _TEXT,
            "eligibility_description": _TEXT,
            "minimum_age": {"type": "number", "minimum": 0},
            "maximum_age": {"type": "number", "minimum": 0},
            "assured_date": {"type": "string", "format": "date"},
            "alert": _TEXT,
            "organization": {"$ref": "#/$defs/organization"},
            "service_areas": _many("service_area"),
            "service_at_locations": _many("service_at_location"),
            "funding": _many("funding"),
            "cost_options": _many("cost_option"),
            "attributes": _many("attribute"),
            "capacities": _many("service_capacity"),
        },
    ),
    "$defs": {
        "organization": ORGANIZATION,
        "location": LOCATION,
        "service_at_location": SERVICE_AT_LOCATION,
        "service_area": SERVICE_AREA,
        "funding": FUNDING,
        "cost_option": COST_OPTION,
        "attribute": ATTRIBUTE,
        "taxonomy_term": TAXONOMY_TERM,
        "unit": UNIT,
        "service_capacity": SERVICE_CAPACITY,
    },
}
# An HSDS directory as zhulian exchanges it: a page of services, each with its organization.
DIRECTORY: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zhulian.example/schemas/hsds-3.0/service_list.json",
    "type": "object",
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "contents": {"type": "array", "items": SERVICE},
    },
    "required": ["contents"],
}
