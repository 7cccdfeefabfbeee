"""Planning an HSDS import: check the document, map each record, decide each event."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from domain.shared.errors import DomainError
from domain.supply.terms import OfferingTerms
from projections.runtime.query import ReadStore
from projections.runtime.view import Row
from services.errors import Problem
from services.hsds import identifiers, spec
from services.hsds.directory import find_offering, provider_exists
from services.hsds.records import BY, Defaults, Mapped, offering, provider

PREFIX = "cn.zhulian."
PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


@dataclass
class Record:
    """One HSDS object of the document: what it maps to, and what happened to it."""

    hsds_type: str
    hsds_id: str
    at: str
    mapped: Mapped
    record_id: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """This record's line of the import report."""
        return {
            "hsds_type": self.hsds_type,
            "hsds_id": self.hsds_id,
            "at": self.at,
            "record_id": self.record_id,
            "actions": [e["type"].removeprefix(PREFIX) for e in self.events]
            or (["unchanged"] if self.mapped.data else ["ignored"]),
            "results": self.results,
            "notes": self.mapped.notes,
            "ignored": self.mapped.ignored,
            "errors": self.mapped.errors,
        }


def _event(kind: str, event_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": identifiers.SOURCE,
        "type": f"{PREFIX}{kind}.v2",
        "data": data,
    }


def kind_of(item: dict[str, Any]) -> str:
    """Which HSDS document an object is, by the properties only that document requires."""
    if "status" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if "name" not in item and ("service" in item or "location" in item):
        return "service_at_location"
    return "organization"


def _items(document: Any) -> tuple[str, list[tuple[str, str, dict[str, Any]]]]:
    if not isinstance(document, dict):
        raise Problem(422, "Invalid HSDS", "the document must be a JSON object")
    if isinstance(document.get("contents"), list):
        items = [
            (f"contents[{i}]", kind_of(item) if isinstance(item, dict) else "service", item)
            for i, item in enumerate(document["contents"])
        ]
        kinds = {k for _, k, _ in items}
        return f"{kinds.pop() if len(kinds) == 1 else 'mixed'}_page", items
    return kind_of(document), [("", kind_of(document), document)]


def _validate(kind: str, items: list[tuple[str, str, dict[str, Any]]], document: Any) -> None:
    errors = []
    if kind.endswith("_page"):
        wrapper = {k: v for k, v in document.items() if k != "contents"}
        errors += [("", e) for e in spec.validator("service", page=True).iter_errors(wrapper)]
    for at, item_kind, item in items:
        errors += [(at, e) for e in spec.validator(item_kind).iter_errors(item)]
    if errors:
        listed = [
            {
                "field": "/".join(p for p in (at, *map(str, e.absolute_path)) if p) or "document",
                "reason": e.message,
            }
            for at, e in errors[:50]
        ]
        raise Problem(
            422,
            "Not a valid HSDS 3.0 document",
            f"{listed[0]['field']}: {listed[0]['reason']}",
            listed,
        )


def _collect(
    items: list[tuple[str, str, dict[str, Any]]],
) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[tuple[str, dict[str, Any]]], list[Record]]:
    orgs: dict[str, tuple[str, dict[str, Any]]] = {}
    services: list[tuple[str, dict[str, Any]]] = []
    skipped: list[Record] = []
    for at, kind, item in items:
        if kind == "organization":
            orgs.setdefault(item["id"], (at, item))
            services += [  # a service listed under an organization is that organization's
                (f"{at}/services/{i}".lstrip("/"), {"organization_id": item["id"], **s})
                for i, s in enumerate(item.get("services") or [])
            ]
        elif kind == "service":
            services.append((at, item))
        elif kind == "service_at_location" and isinstance(item.get("service"), dict):
            place = {k: v for k, v in item.items() if k != "service"}
            services.append(
                (f"{at}/service".lstrip("/"), {**item["service"], "service_at_locations": [place]})
            )
        else:
            note = "a location alone gives no service: nothing to import"
            if kind == "service_at_location":
                note = "a service_at_location without its service: nothing to import"
            skipped.append(Record(kind, str(item.get("id")), at, Mapped({}, notes=[note])))
    for at, svc in services:
        if isinstance(svc.get("organization"), dict):
            orgs.setdefault(
                svc["organization"]["id"], (f"{at}/organization".lstrip("/"), svc["organization"])
            )
    return orgs, services, skipped


def _changed(data: dict[str, Any], row: Row) -> bool:
    try:
        wanted = OfferingTerms.parse(data).as_record()
    except DomainError:
        return True  # the pre-check names what is wrong
    return any(orjson.dumps(row.get(k)) != orjson.dumps(v) for k, v in wanted.items())


def _offering_events(record: Record, svc: dict[str, Any], store: ReadStore, period: str) -> None:
    data, sid = record.mapped.data, record.hsds_id
    known = identifiers.record_for(store, "offering", sid)
    row = find_offering(store, known or sid, period)
    status = svc["status"]
    if row is None:
        record.events.append(
            _event("offering.published", identifiers.event_id("service", sid), data)
        )
        if status != "active":
            closed = {
                "offering_id": PLACEHOLDER,
                "actor": BY,
                "reason": f"HSDS status {status}",
            }
            record.events.append(_event("offering.closed", f"hsds:service:{sid}:closed", closed))
        return
    record.record_id = str(row["offering_id"])
    if row["status"] != "active":
        if status == "active":
            record.mapped.notes.append("closed here; an import does not reopen an offering")
        return
    if _changed(data, row):
        update = {k: v for k, v in data.items() if k not in ("actor", "provider_id")}
        update.update(offering_id=record.record_id, actor=BY)
        digest = hashlib.sha256(orjson.dumps(update, option=orjson.OPT_SORT_KEYS)).hexdigest()
        record.events.append(
            _event("offering.updated", f"hsds:service:{sid}:{digest[:16]}", update)
        )
    if status != "active":
        closed = {
            "offering_id": record.record_id,
            "actor": BY,
            "reason": f"HSDS status {status}",
        }
        record.events.append(_event("offering.closed", f"hsds:service:{sid}:closed", closed))


def plan(
    document: Any, store: ReadStore, defaults: Defaults, period: str
) -> tuple[str, list[Record]]:
    """Validate and map the whole document; nothing is written."""
    kind, items = _items(document)
    _validate(kind, items, document)
    orgs, services, records = _collect(items)
    for oid, (at, org) in orgs.items():
        record = Record("organization", oid, at, provider(org, defaults))
        known = identifiers.record_for(store, "provider", oid) or (
            oid if provider_exists(store, oid) else None
        )
        if known:
            record.record_id = known
        else:
            record.events.append(
                _event(
                    "provider.registered",
                    identifiers.event_id("organization", oid),
                    record.mapped.data,
                )
            )
        records.append(record)
    places = [loc for _, org in orgs.values() for loc in org.get("locations") or []]
    seen: set[str] = set()
    for at, svc in services:
        record = Record("service", svc["id"], at, offering(svc, defaults, places))
        if svc["id"] in seen:
            reason = "a second service with this id in the document; each id names one service"
            record.mapped.errors.append({"field": "id", "reason": reason})
        seen.add(svc["id"])
        org_id = (svc.get("organization") or {}).get("id") or svc.get("organization_id")
        if org_id not in orgs and not (
            org_id
            and (
                identifiers.record_for(store, "provider", org_id) or provider_exists(store, org_id)
            )
        ):
            record.mapped.errors.append(
                {
                    "field": "organization_id",
                    "reason": f"organization {org_id} is neither in the document nor known here",
                }
            )
        record.mapped.data["provider_id"] = org_id
        if not record.mapped.errors:
            _offering_events(record, svc, store, period)
        records.append(record)
    return kind, records
