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
            "actions": [e["type"].removeprefix(PREFIX) for e in self.events] or ["unchanged"],
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
        "type": f"{PREFIX}{kind}.v1",
        "data": data,
    }


def _items(document: Any) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    if not isinstance(document, dict):
        raise Problem(422, "Invalid HSDS", "the document must be a JSON object")
    if isinstance(document.get("contents"), list):
        kinds = {
            "service" if "status" in i else "organization"
            for i in document["contents"]
            if isinstance(i, dict)
        }
        kind = kinds.pop() if len(kinds) == 1 else "service"
        return f"{kind}_page", [
            (f"contents[{i}]", item) for i, item in enumerate(document["contents"])
        ]
    return ("service" if "status" in document else "organization"), [("", document)]


def _validate(kind: str, items: list[tuple[str, dict[str, Any]]], document: Any) -> None:
    errors = []
    if kind.endswith("_page"):
        wrapper = {k: v for k, v in document.items() if k != "contents"}
        errors += [
            ("", e)
            for e in spec.validator(kind.removesuffix("_page"), page=True).iter_errors(
                {**wrapper, "contents": []}
            )
        ]
    item_kind = kind.removesuffix("_page")
    for at, item in items:
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
    kind: str, items: list[tuple[str, dict[str, Any]]]
) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[tuple[str, dict[str, Any]]]]:
    orgs: dict[str, tuple[str, dict[str, Any]]] = {}
    services: list[tuple[str, dict[str, Any]]] = []
    for at, item in items:
        if kind.startswith("organization"):
            orgs.setdefault(item["id"], (at, item))
            services += [
                (f"{at}/services/{i}".lstrip("/"), s)
                for i, s in enumerate(item.get("services") or [])
            ]
        else:
            services.append((at, item))
    for at, svc in services:
        if isinstance(svc.get("organization"), dict):
            orgs.setdefault(
                svc["organization"]["id"], (f"{at}/organization".lstrip("/"), svc["organization"])
            )
    return orgs, services


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
                "department": BY,
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
        update = {k: v for k, v in data.items() if k not in ("published_by", "provider_id")}
        update.update(offering_id=record.record_id, updated_by=BY)
        digest = hashlib.sha256(orjson.dumps(update, option=orjson.OPT_SORT_KEYS)).hexdigest()
        record.events.append(
            _event("offering.updated", f"hsds:service:{sid}:{digest[:16]}", update)
        )
    if status != "active":
        closed = {
            "offering_id": record.record_id,
            "department": BY,
            "reason": f"HSDS status {status}",
        }
        record.events.append(_event("offering.closed", f"hsds:service:{sid}:closed", closed))


def plan(
    document: Any, store: ReadStore, defaults: Defaults, period: str
) -> tuple[str, list[Record]]:
    """Validate and map the whole document; nothing is written."""
    kind, items = _items(document)
    _validate(kind, items, document)
    orgs, services = _collect(kind, items)
    records: list[Record] = []
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
    for at, svc in services:
        record = Record("service", svc["id"], at, offering(svc, defaults, places))
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
