"""The services list (服务清单): providers and their offerings, coverage, eligibility, capacity."""

from __future__ import annotations

from typing import Any

from domain.matching.eligibility import admits_anyone
from domain.supply.model import Offering, Provider
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View
from projections.services_list import admission

PROVIDERS = Table(
    "services_providers",
    cols(
        "provider_id name kind region_code description registered_at:ts offerings_open:int"
        " version:int"
    ),
    key=("provider_id",),
    indexes=(("region_code",), ("kind",)),
)
OFFERINGS = Table(
    "services_offerings",
    cols(
        "offering_id provider_id provider_name provider_kind region_code name description"
        " need_type category areas:json location:json capacity:int unit eligibility:json"
        " admits_anyone:bool cost_fen:int funding_source status published_at:ts"
        " updated_at:ts closed_reason version:int"
    ),
    key=("offering_id",),
    indexes=(("region_code",), ("need_type", "category"), ("provider_id",)),
)
# One row per covered area prefix, so "covers this village" is an indexed IN over its prefixes.
AREAS = Table(
    "services_areas", cols("offering_id area"), key=("offering_id", "area"), indexes=(("area",),)
)
USAGE = Table("services_usage", cols("offering_id period used:int"), key=("offering_id", "period"))


class ServicesList(View):
    """One row per provider and per offering, kept current through its life and its usage."""

    name = "services_list"
    schema_version = 2  # 2: which households each offering admits (admission.py)
    tables = (PROVIDERS, OFFERINGS, AREAS, USAGE, *admission.TABLES)

    def handlers(self) -> dict[type, Handler]:
        """Provider and offering events."""
        return {
            Provider.Registered: self._registered,
            Offering.Published: self._published,
            Offering.Updated: self._updated,
            Offering.Closed: self._closed,
            Offering.CapacityUsed: self._usage(+1),
            Offering.CapacityReleased: self._usage(-1),
            **admission.handlers(),
        }

    @staticmethod
    def _registered(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "services_providers",
            {
                "provider_id": str(e.originator_id),
                "name": e.name,
                "kind": e.kind,
                "region_code": e.region_code,
                "description": e.description,
                "registered_at": e.registered_at,
                "offerings_open": 0,
                "version": e.originator_version,
            },
        )

    @staticmethod
    def _terms(e: Any, tx: Tx, offering_id: str) -> dict[str, Any]:
        """Write the area rows of the terms; return the offering's columns."""
        elig = e.eligibility
        for area in e.areas:
            tx.upsert("services_areas", {"offering_id": offering_id, "area": area})
        return {
            "name": e.name,
            "description": e.description,
            "need_type": e.need_type,
            "category": e.category,
            "areas": e.areas,
            "location": e.location,
            "capacity": e.capacity,
            "unit": e.unit,
            "eligibility": elig,
            "admits_anyone": admits_anyone(elig),
            "cost_fen": e.cost_fen,
            "funding_source": e.funding_source,
            "updated_at": e.timestamp,
            "version": e.originator_version,
        }

    def _published(self, e: Any, tx: Tx, _: int) -> None:
        offering_id, provider_id = str(e.originator_id), str(e.provider_id)
        provider = tx.get("services_providers", provider_id=provider_id) or {}
        row = {
            "offering_id": offering_id,
            "provider_id": provider_id,
            "provider_name": provider.get("name"),
            "provider_kind": provider.get("kind"),
            "region_code": e.region_code,
            "status": "active",
            "published_at": e.published_at,
            "closed_reason": None,
            **self._terms(e, tx, offering_id),
        }
        tx.upsert("services_offerings", row)
        admission.judge_offering(tx, offering_id, e.areas, e.eligibility)
        if provider:
            tx.update(
                "services_providers",
                {"provider_id": provider_id},
                offerings_open=provider["offerings_open"] + 1,
            )

    def _updated(self, e: Any, tx: Tx, _: int) -> None:
        offering_id = str(e.originator_id)
        old = tx.get("services_offerings", offering_id=offering_id)
        if old is None:
            return
        for area in old["areas"]:
            tx.delete("services_areas", offering_id=offering_id, area=area)
        tx.update(
            "services_offerings", {"offering_id": offering_id}, **self._terms(e, tx, offering_id)
        )
        admission.judge_offering(tx, offering_id, e.areas, e.eligibility)

    @staticmethod
    def _closed(e: Any, tx: Tx, _: int) -> None:
        key = {"offering_id": str(e.originator_id)}
        row = tx.get("services_offerings", **key)
        if row is None:
            return
        tx.update(
            "services_offerings",
            key,
            status="closed",
            closed_reason=e.reason,
            updated_at=e.timestamp,
            version=e.originator_version,
        )
        provider = tx.get("services_providers", provider_id=row["provider_id"])
        if provider:
            tx.update(
                "services_providers",
                {"provider_id": row["provider_id"]},
                offerings_open=provider["offerings_open"] - 1,
            )

    @staticmethod
    def _usage(sign: int) -> Handler:
        def handle(e: Any, tx: Tx, _: int) -> None:
            key = {"offering_id": str(e.originator_id), "period": e.period}
            row = tx.get("services_usage", **key)
            used = (row["used"] if row else 0) + sign * e.units
            tx.upsert("services_usage", {**key, "used": used})
            tx.update(
                "services_offerings",
                {"offering_id": key["offering_id"]},
                updated_at=e.timestamp,
                version=e.originator_version,
            )

        return handle
