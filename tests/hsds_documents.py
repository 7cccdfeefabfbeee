"""HSDS 3.0 documents written for the tests, with every property the spec's full examples use.

The property sets below are those used by examples/service_full.json, organization_full.json,
location.json and service_at_location_full.json of openreferral/specification at tag v3.0; the
builders fill each of them with values of a Chinese district's directory.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, uuid5


def _names(text: str) -> set[str]:
    return set(text.split())


# object (as named in the examples) → properties the v3.0 full examples use
EXAMPLE_PROPERTIES: dict[str, set[str]] = {
    "service": _names(
        "accreditations alert alternate_name application_process assured_date assurer_email"
        " attributes contacts cost_options description eligibility_description email fees"
        " fees_description funding id interpretation_services languages last_modified licenses"
        " maximum_age metadata minimum_age name organization phones program required_documents"
        " schedules service_areas service_at_locations status url wait_time"
    ),
    "phone": _names("description extension id languages number type"),
    "language": _names("code id name note"),
    "schedule": _names(
        "attending_type byday bymonthday byweekno byyearday closes_at count description dtstart"
        " freq id interval notes opens_at schedule_link timezone until valid_from valid_to wkst"
    ),
    "service_area": _names("description extent extent_type id name uri"),
    "service_at_location": _names("contacts description id location phones schedules"),
    "contact": _names("department email id name phones title"),
    "location": _names(
        "accessibility addresses alternate_name contacts description external_identifier"
        " external_identifier_type id languages latitude location_type longitude name phones"
        " schedules transportation url"
    ),
    "address": _names(
        "address_1 address_2 address_type attention city country id postal_code region"
        " state_province"
    ),
    "accessibility": _names("description details id url"),
    "organization": _names(
        "alternate_name contacts description email funding id legal_status locations logo name"
        " organization_identifiers parent_organization_id phones programs tax_status uri website"
        " year_incorporated"
    ),
    "funding": _names("id source"),
    "program": _names("alternate_name description id name"),
    "organization_identifier": _names("id identifier identifier_scheme identifier_type"),
    "cost_option": _names("amount amount_description currency id option valid_from valid_to"),
    "required_document": _names("document id uri"),
    "attribute": _names("id link_entity link_type taxonomy_term value"),
    "taxonomy_term": _names(
        "code description id language name parent_id taxonomy taxonomy_detail term_uri"
    ),
    "taxonomy_detail": _names("description id name uri version"),
    "metadata": _names(
        "field_name id last_action_date last_action_type previous_value replacement_value"
        " resource_type updated_by"
    ),
}


def hid(*parts: str) -> str:
    """A fixed UUID for a named test object."""
    return str(uuid5(NAMESPACE_URL, "hsds-test:" + "/".join(parts)))


def language(owner: str) -> dict[str, Any]:
    return {"id": hid(owner, "lang"), "name": "Chinese", "code": "zh", "note": "Mandarin and Wu"}


def phone(owner: str) -> dict[str, Any]:
    return {
        "id": hid(owner, "phone"),
        "number": "+86 571 8888 1234",
        "extension": 12,
        "type": "voice",
        "description": "Reception, weekdays",
        "languages": [language(owner + "/phone")],
    }


def schedule(owner: str) -> dict[str, Any]:
    return {
        "id": hid(owner, "schedule"),
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "dtstart": "2026-01-05",
        "timezone": 8,
        "until": "2026-12-31",
        "count": 52,
        "wkst": "MO",
        "freq": "WEEKLY",
        "interval": 1,
        "byday": "MO,WE,FR",
        "byweekno": "1",
        "bymonthday": "1",
        "byyearday": "1",
        "description": "Mornings on weekdays",
        "opens_at": "08:30",
        "closes_at": "12:00",
        "schedule_link": "https://example.org/hours",
        "attending_type": "in_person",
        "notes": "Closed on public holidays",
    }


def contact(owner: str) -> dict[str, Any]:
    return {
        "id": hid(owner, "contact"),
        "name": "Wang Li",
        "title": "Case worker",
        "department": "Home care",
        "email": "wang.li@example.org",
        "phones": [phone(owner + "/contact")],
    }


def address(owner: str) -> dict[str, Any]:
    return {
        "id": hid(owner, "address"),
        "attention": "Reception",
        "address_1": "18 Wensan Road",
        "address_2": "Floor 2",
        "city": "Hangzhou",
        "region": "Xihu",
        "state_province": "Zhejiang",
        "postal_code": "310012",
        "country": "CN",
        "address_type": "physical",
    }


def location(
    owner: str, *, code: str | None = "330106002051", lat: float = 30.27
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": hid(owner, "location"),
        "location_type": "physical",
        "url": "https://example.org/centre",
        "name": "Wenxin community centre",
        "alternate_name": "Wenxin centre",
        "description": "Ground floor, step-free",
        "transportation": "Bus 28 to Wensan Road",
        "latitude": lat,
        "longitude": 120.13,
        "external_identifier": code or "10092008082",
        "external_identifier_type": "cn-administrative-division-code" if code else "UPRN",
        "languages": [language(owner + "/location")],
        "addresses": [address(owner)],
        "contacts": [contact(owner + "/location")],
        "accessibility": [
            {
                "id": hid(owner, "access"),
                "description": "Ramp",
                "details": "At the east door",
                "url": "https://example.org/access",
            }
        ],
        "phones": [phone(owner + "/location")],
        "schedules": [schedule(owner + "/location")],
    }
    return out


def organization(name: str, **extra: Any) -> dict[str, Any]:
    oid = hid(name)
    return {
        "id": oid,
        "name": name,
        "alternate_name": name[:4],
        "description": f"{name}: a social organisation of the district",
        "email": "office@example.org",
        "website": "https://example.org",
        "tax_status": "exempt",
        "year_incorporated": 2011,
        "legal_status": "Social organisation",
        "logo": "https://example.org/logo.png",
        "uri": "https://example.org/org",
        "parent_organization_id": hid(name, "parent"),
        "funding": [{"id": hid(name, "funding"), "source": "District budget"}],
        "contacts": [contact(name)],
        "phones": [phone(name)],
        "locations": [location(name)],
        "programs": [program(name)],
        "organization_identifiers": [
            {
                "id": hid(name, "identifier"),
                "identifier_scheme": "CN-USCC",
                "identifier_type": "Unified social credit code",
                "identifier": "52330106MJ0000000X",
            }
        ],
        **extra,
    }


def program(owner: str) -> dict[str, Any]:
    return {
        "id": hid(owner, "program"),
        "name": "Caring neighbours",
        "alternate_name": "Neighbours",
        "description": "Home visits by trained volunteers",
    }


def term(taxonomy: str, code: str, name: str | None = None) -> dict[str, Any]:
    return {
        "id": hid(taxonomy, code),
        "code": code,
        "name": name or code,
        "description": f"{taxonomy} term {code}",
        "parent_id": hid(taxonomy, "root"),
        "taxonomy": taxonomy,
        "taxonomy_detail": {
            "id": hid(taxonomy),
            "name": taxonomy,
            "description": f"The {taxonomy} taxonomy",
            "uri": "https://example.org/taxonomy",
            "version": "1",
        },
        "language": "zh",
        "term_uri": "https://example.org/term",
    }


def attribute(owner: str, taxonomy: str, code: str, value: str = "yes") -> dict[str, Any]:
    return {
        "id": hid(owner, taxonomy, code),
        "link_type": "classification",
        "link_entity": "service",
        "value": value,
        "taxonomy_term": term(taxonomy, code),
    }


def service(name: str, org: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A service using every property of the v3.0 full example, classified as care/care."""
    sid = hid(name)
    return {
        "id": sid,
        "name": name,
        "alternate_name": name[:4],
        "description": f"{name} for elderly people living alone",
        "url": "https://example.org/service",
        "email": "service@example.org",
        "status": "active",
        "interpretation_services": "Sign language on request",
        "application_process": "Ask your village committee",
        "fees_description": "Free for dibao households",
        "wait_time": "One week",
        "fees": "30 yuan per visit",
        "accreditations": "Provincial social-work standard",
        "eligibility_description": "Aged 60 and over",
        "minimum_age": 60,
        "maximum_age": 120,
        "assured_date": "2026-01-01",
        "assurer_email": "assurer@example.org",
        "licenses": "Licence 42",
        "alert": "Closed during the Spring Festival",
        "last_modified": "2026-11-01T08:00:00Z",
        "phones": [phone(name)],
        "schedules": [schedule(name)],
        "service_areas": [
            {
                "id": hid(name, "area"),
                "name": "Xihu district",
                "description": "The whole district",
                "extent": "330106",
                "extent_type": "text",
                "uri": "https://example.org/area",
            }
        ],
        "service_at_locations": [
            {
                "id": hid(name, "sal"),
                "description": "At the community centre",
                "contacts": [contact(name + "/sal")],
                "phones": [phone(name + "/sal")],
                "schedules": [schedule(name + "/sal")],
                "location": location(name),
            }
        ],
        "languages": [language(name)],
        "organization": org or organization(f"{name} provider"),
        "funding": [{"id": hid(name, "funding"), "source": "District purchased-service budget"}],
        "cost_options": [
            {
                "id": hid(name, "cost"),
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
                "option": "Per visit",
                "currency": "cny",
                "amount": 30.5,
                "amount_description": "per person-times",
            }
        ],
        "program": program(name),
        "required_documents": [
            {
                "id": hid(name, "doc"),
                "document": "Household register",
                "uri": "https://example.org/doc",
            }
        ],
        "contacts": [contact(name)],
        "attributes": [
            attribute(name, "zhulian-need-type", "care"),
            attribute(name, "zhulian-category", "care"),
        ],
        "metadata": [
            {
                "id": hid(name, "metadata"),
                "resource_type": "service",
                "last_action_date": "2026-11-01",
                "last_action_type": "update",
                "field_name": "name",
                "previous_value": "old name",
                "replacement_value": name,
                "updated_by": "editor",
            }
        ],
        **extra,
    }
