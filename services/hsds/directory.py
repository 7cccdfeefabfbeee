"""The alliance's directory read from the views as HSDS 3.0 documents and paged lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from projections.runtime.query import ReadStore
from projections.runtime.view import Row
from projections.services_list.queries import all_offerings, get_offering, list_providers
from services.hsds import export, identifiers


def find_offering(store: ReadStore, offering_id: str, period: str) -> Row | None:
    """One offering of the services list, with its capacity left in the period."""
    return get_offering(store, offering_id, period)


def provider_exists(store: ReadStore, provider_id: str) -> bool:
    """Whether the services list knows this provider."""
    rows = store.fetch(
        "SELECT provider_id FROM services_providers WHERE provider_id = :p",
        {"p": provider_id},
        "services_providers",
    )
    return bool(rows)


@dataclass
class Directory:
    """Everything an export needs, read once: offerings, providers and the HSDS ids."""

    offerings: list[Row]
    providers: dict[str, Row]
    ids: dict[str, str]

    @classmethod
    def read(cls, store: ReadStore, period: str, region: str | None = None) -> Directory:
        """Offerings of a jurisdiction (all when no region) with their capacity this period."""
        providers = {p["provider_id"]: p for p in list_providers(store, limit=10**6).items}
        offerings = [
            get_offering(store, row["offering_id"], period) or row
            for row in all_offerings(store, region)
        ]
        return cls(offerings, providers, identifiers.hsds_ids(store))

    def hsds_id(self, record_id: str) -> str:
        """The id a record is published under: the HSDS id it came with, else its own."""
        return self.ids.get(record_id, record_id)

    def services(self, *, full: bool) -> list[dict[str, Any]]:
        """Every offering as a full service or as a services-list item."""
        shape = export.service if full else export.service_list_item
        return [shape(row, self.providers[row["provider_id"]], self.ids) for row in self.offerings]

    def organizations(self, *, full: bool) -> list[dict[str, Any]]:
        """Every provider with an offering here, as a full organization or a list item."""
        used = dict.fromkeys(row["provider_id"] for row in self.offerings)
        out = []
        for pid in used:
            provider, oid = self.providers[pid], self.hsds_id(pid)
            if not full:
                out.append(export.organization_list_item(provider, oid))
                continue
            mine = [r for r in self.offerings if r["provider_id"] == pid]
            places = [p for r in mine if (p := self._location(r))]
            organization = export.organization(provider, oid, places)
            organization["services"] = [export.service(r, provider, self.ids) for r in mine]
            out.append(organization)
        return out

    def _location(self, row: Row) -> dict[str, Any] | None:
        sid, oid = self.hsds_id(row["offering_id"]), self.hsds_id(row["provider_id"])
        return export.location(row, sid, oid)

    def locations(self) -> list[dict[str, Any]]:
        """Every offering's place as an HSDS location."""
        return [p for row in self.offerings if (p := self._location(row))]


def paged(contents: list[dict[str, Any]], page: int, per_page: int) -> dict[str, Any]:
    """One page of a list, in the specification's Page shape (openapi.json)."""
    total_pages = max(1, math.ceil(len(contents) / per_page))
    items = contents[(page - 1) * per_page : page * per_page]
    return {
        "total_items": len(contents),
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "contents": items,
    }
