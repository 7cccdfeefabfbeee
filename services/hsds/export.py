"""Services-list rows as HSDS 3.0 documents: service, organization, location, and list items.

Everything here validates against the specification's 3.0 schemas, strictly (no property that
3.0 does not define). What 3.0 has no property for rides in `attributes`, the 3.0 way: a
taxonomy term of ours (`taxonomies.json`) and, for figures such as capacity, the attribute's
`value`. Ids: an imported record keeps its HSDS id; a record of ours is exported under its own
id; nested objects get ids derived from their service's id, the same in every export.
"""

from __future__ import annotations

from typing import Any

from domain.shared.money import fen_to_yuan
from projections.runtime.view import Row
from services.hsds.taxonomy import stable_id, term

DIVISION_CODE = "cn-administrative-division-code"


def attribute(
    link_id: str, entity: str, taxonomy: str, code: str, link_type: str, value: Any = None
) -> dict[str, Any]:
    """An HSDS 3.0 attribute linking an object to one of our taxonomy terms."""
    taxonomy_term = term(taxonomy, code)
    out: dict[str, Any] = {
        "id": stable_id(link_id, taxonomy, code),
        "link_id": link_id,
        "taxonomy_term_id": taxonomy_term["id"],
        "link_type": link_type,
        "link_entity": entity,
        "taxonomy_term": taxonomy_term,
    }
    if value is not None:
        out["value"] = str(value)
    return out


def organization_list_item(provider: Row, hsds_id: str) -> dict[str, Any]:
    """A provider as an item of the organizations list (no nested arrays)."""
    return {
        "id": hsds_id,
        "name": provider["name"],
        "description": provider["description"] or provider["name"],
    }


def organization(
    provider: Row, hsds_id: str, locations: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A provider as a full HSDS organization; kind and region ride as attributes."""
    out = {
        **organization_list_item(provider, hsds_id),
        "attributes": [
            attribute(
                hsds_id, "organization", "zhulian-provider-kind", provider["kind"], "classification"
            ),
            attribute(hsds_id, "organization", "zhulian-region", provider["region_code"], "area"),
        ],
    }
    if locations:
        out["locations"] = locations
    return out


def location(row: Row, service_id: str, organization_id: str) -> dict[str, Any] | None:
    """The offering's place as an HSDS location, its division code as external identifier."""
    loc = row["location"]
    if not loc:
        return None
    out: dict[str, Any] = {
        "id": stable_id(service_id, "location"),
        "location_type": "physical",
        "organization_id": organization_id,
        "name": loc["name"],
        "external_identifier": loc["region_code"],
        "external_identifier_type": DIVISION_CODE,
    }
    if loc.get("latitude") is not None:
        out.update(latitude=loc["latitude"], longitude=loc["longitude"])
    return out


def _yuan_number(fen: int) -> int | float:
    """Fen as an HSDS amount (a JSON number of yuan); two decimals survive float repr exactly."""
    return fen // 100 if fen % 100 == 0 else float(fen_to_yuan(fen))


def service_list_item(row: Row, provider: Row, ids: dict[str, str]) -> dict[str, Any]:
    """An offering as an item of the services list (compiled/service_list.json)."""
    elig = row["eligibility"]
    sid = str(ids.get(row["offering_id"], row["offering_id"]))
    org_id = str(ids.get(row["provider_id"], row["provider_id"]))
    out: dict[str, Any] = {
        "id": sid,
        "organization_id": org_id,
        "name": row["name"],
        "description": row["description"],
        "status": "active" if row["status"] == "active" else "inactive",
        "eligibility_description": elig["description"],
        "organization": organization_list_item(provider, org_id),
    }
    for name in ("minimum_age", "maximum_age"):
        if elig[name] is not None:
            out[name] = elig[name]
    return out


def _attributes(row: Row, sid: str) -> list[dict[str, Any]]:
    elig = row["eligibility"]
    out = [
        attribute(sid, "service", "zhulian-need-type", row["need_type"], "classification"),
        attribute(sid, "service", "zhulian-category", row["category"], "classification"),
        *(
            attribute(sid, "service", "zhulian-assistance-status", s, "eligibility")
            for s in elig["statuses"]
        ),
        *(attribute(sid, "service", "zhulian-group", g, "eligibility") for g in elig["groups"]),
    ]
    if elig["disability_required"]:
        out.append(attribute(sid, "service", "zhulian-disability-required", "true", "eligibility"))
    if row["capacity"] is not None:
        out += [
            attribute(
                sid, "service", "zhulian-capacity", "monthly_capacity", "capacity", row["capacity"]
            ),
            attribute(sid, "service", "zhulian-capacity", "capacity_unit", "capacity", row["unit"]),
        ]
        if row.get("remaining") is not None:
            out.append(
                attribute(
                    sid,
                    "service",
                    "zhulian-capacity",
                    "available_this_month",
                    "capacity",
                    row["remaining"],
                )
            )
    return out


def service(row: Row, provider: Row, ids: dict[str, str]) -> dict[str, Any]:
    """An offering as a full HSDS 3.0 service (compiled/service.json) with its organization."""
    out = service_list_item(row, provider, ids)
    sid, org_id = out["id"], out["organization_id"]
    out["organization"] = organization(provider, org_id)
    out["service_areas"] = [
        {
            "id": stable_id(sid, "area", area),
            "service_id": sid,
            "name": area,
            "description": f"Administrative division {area} and every division under it",
            "extent": area,
            "extent_type": "text",
        }
        for area in row["areas"]
    ]
    out["cost_options"] = [
        {
            "id": stable_id(sid, "cost"),
            "service_id": sid,
            "currency": "CNY",
            "amount": _yuan_number(row["cost_fen"]),
            "amount_description": f"per {row['unit']}",
        }
    ]
    out["funding"] = (
        [{"id": stable_id(sid, "funding"), "service_id": sid, "source": row["funding_source"]}]
        if row["funding_source"]
        else []
    )
    place = location(row, sid, org_id)
    out["service_at_locations"] = (
        [
            {
                "id": stable_id(sid, "service_at_location"),
                "service_id": sid,
                "location_id": place["id"],
                "location": place,
            }
        ]
        if place
        else []
    )
    out["attributes"] = _attributes(row, sid)
    return out
