"""Services list rows ⇄ HSDS 3.0 services; an import becomes ordinary CloudEvents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.shared.money import fen_to_yuan
from projections.runtime.view import Row

PROVIDER_KIND = "zhulian-provider-kind"
REGION = "zhulian-region"
NEED_TYPE = "zhulian-need-type"
CATEGORY = "zhulian-category"
STATUS = "zhulian-assistance-status"
GROUP = "zhulian-group"
DISABILITY = "zhulian-disability-required"
DIVISION_CODE = "cn-administrative-division-code"
_NS = uuid5(NAMESPACE_URL, "https://zhulian.example/hsds")


def _id(*parts: str) -> str:
    return str(uuid5(_NS, "\x1f".join(parts)))


def _attribute(
    link_id: str, entity: str, taxonomy: str, code: str, link_type: str
) -> dict[str, Any]:
    return {
        "id": _id(link_id, taxonomy, code),
        "link_id": link_id,
        "link_type": link_type,
        "link_entity": entity,
        "taxonomy_term": {
            "id": _id(taxonomy, code),
            "code": code,
            "name": code,
            "taxonomy": taxonomy,
        },
    }


def organization(provider: Row) -> dict[str, Any]:
    """A provider as an HSDS organization; kind and region ride as attributes."""
    pid = provider["provider_id"]
    return {
        "id": pid,
        "name": provider["name"],
        "description": provider["description"] or provider["name"],
        "attributes": [
            _attribute(pid, "organization", PROVIDER_KIND, provider["kind"], "classification"),
            _attribute(pid, "organization", REGION, provider["region_code"], "area"),
        ],
    }


def service(row: Row, provider: Row, *, updated: str) -> dict[str, Any]:
    """One services-list row as an HSDS service with its related objects embedded."""
    sid, elig = row["offering_id"], row["eligibility"]
    attributes = [
        _attribute(sid, "service", NEED_TYPE, row["need_type"], "classification"),
        _attribute(sid, "service", CATEGORY, row["category"], "classification"),
        *(_attribute(sid, "service", STATUS, s, "eligibility") for s in elig["statuses"]),
        *(_attribute(sid, "service", GROUP, g, "eligibility") for g in elig["groups"]),
    ]
    if elig["disability_required"]:
        attributes.append(_attribute(sid, "service", DISABILITY, "true", "eligibility"))
    out: dict[str, Any] = {
        "id": sid,
        "organization_id": row["provider_id"],
        "name": row["name"],
        "description": row["description"],
        "status": "active" if row["status"] == "active" else "inactive",
        "eligibility_description": elig["description"],
        "organization": organization(provider),
        "service_areas": [
            {"id": _id(sid, a), "service_id": sid, "name": a, "extent": a, "extent_type": "text"}
            for a in row["areas"]
        ],
        "service_at_locations": [],
        "funding": [],
        "cost_options": [
            {
                "id": _id(sid, "cost"),
                "service_id": sid,
                "currency": "CNY",
                "amount": _yuan_number(row["cost_fen"]),
                "amount_description": f"per {row['unit']}",
            }
        ],
        "attributes": attributes,
        "capacities": [],
    }
    for name in ("minimum_age", "maximum_age"):
        if elig[name] is not None:
            out[name] = elig[name]
    if row["funding_source"]:
        out["funding"] = [
            {"id": _id(sid, "funding"), "service_id": sid, "source": row["funding_source"]}
        ]
    loc = row["location"]
    if loc:
        location = {
            "id": _id(sid, "location"),
            "location_type": "physical",
            "name": loc["name"],
            "external_identifier": loc["region_code"],
            "external_identifier_type": DIVISION_CODE,
        }
        if loc["latitude"] is not None:
            location.update(latitude=loc["latitude"], longitude=loc["longitude"])
        out["service_at_locations"] = [
            {
                "id": _id(sid, "service_at_location"),
                "service_id": sid,
                "location_id": location["id"],
                "location": location,
            }
        ]
    if row["capacity"] is not None:
        unit = row["unit"]
        out["capacities"] = [
            {
                "id": _id(sid, "capacity"),
                "service_id": sid,
                "unit": {"id": _id("unit", unit), "name": unit},
                "maximum": row["capacity"],
                "available": row["remaining"],
                "description": "per month",
                "updated": updated,
            }
        ]
    return out


def _yuan_number(fen: int) -> int | float:
    """Fen as an HSDS amount (a JSON number of yuan); two decimals survive float repr exactly."""
    return fen // 100 if fen % 100 == 0 else float(fen_to_yuan(fen))


def _fen(amount: Any) -> int:
    return int(Decimal(str(amount)) * 100)


def _codes(attributes: list[dict[str, Any]], taxonomy: str) -> list[str]:
    return [
        a["taxonomy_term"]["code"]
        for a in attributes
        if a.get("taxonomy_term", {}).get("taxonomy") == taxonomy
    ]


def provider_data(org: dict[str, Any], default_region: str) -> dict[str, Any]:
    """The data of a provider.registered event for an HSDS organization."""
    attrs = org.get("attributes") or []
    return {
        "name": org["name"],
        "kind": next(iter(_codes(attrs, PROVIDER_KIND)), "social_organisation"),
        "region_code": next(iter(_codes(attrs, REGION)), default_region),
        "description": org.get("description", "") if org.get("description") != org["name"] else "",
        "registered_by": "hsds-import",
    }


def offering_data(svc: dict[str, Any], provider_id: str, default_region: str) -> dict[str, Any]:
    """The data of an offering.published event for an HSDS service."""
    attrs = svc.get("attributes") or []
    data: dict[str, Any] = {
        "provider_id": provider_id,
        "name": svc["name"],
        "description": svc.get("description", ""),
        "need_type": next(iter(_codes(attrs, NEED_TYPE)), "care"),
        "category": next(iter(_codes(attrs, CATEGORY)), "care"),
        "areas": [a.get("extent") or a.get("name") for a in svc.get("service_areas") or []]
        or [default_region],
        "eligibility": {
            "statuses": _codes(attrs, STATUS),
            "groups": _codes(attrs, GROUP),
            "disability_required": bool(_codes(attrs, DISABILITY)),
            "description": svc.get("eligibility_description", ""),
        },
        "published_by": "hsds-import",
    }
    for name in ("minimum_age", "maximum_age"):
        if svc.get(name) is not None:
            data["eligibility"][name] = int(svc[name])
    costs = [c for c in svc.get("cost_options") or [] if c.get("amount") is not None]
    if costs:
        data["cost_fen"] = _fen(costs[0]["amount"])
    funding = [f["source"] for f in svc.get("funding") or [] if f.get("source")]
    if funding:
        data["funding_source"] = funding[0]
    places = [s["location"] for s in svc.get("service_at_locations") or [] if s.get("location")]
    if places:
        loc = places[0]
        data["location"] = {
            "name": loc.get("name") or "location",
            "region_code": loc.get("external_identifier") or default_region,
        }
        if loc.get("latitude") is not None:
            data["location"].update(latitude=loc["latitude"], longitude=loc["longitude"])
    capacities = svc.get("capacities") or []
    if capacities and capacities[0].get("maximum") is not None:
        data["capacity"] = int(capacities[0]["maximum"])
        data["unit"] = capacities[0]["unit"]["name"]
    return data


def organization_key(org: dict[str, Any]) -> str:
    """The CloudEvents id of an organization's import event."""
    return f"hsds-organization-{UUID(org['id'])}"
