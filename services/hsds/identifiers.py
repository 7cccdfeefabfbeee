"""HSDS ids kept as external identifiers: which provider or offering an imported HSDS id became.

An import names each record's CloudEvent `hsds:<kind>:<HSDS id>` under the source `/hsds`; the
receipt of that event says which record it created. This view keeps that pair, so an export
gives the record its HSDS id back and a re-import (from any publisher) finds the same record.
"""

from __future__ import annotations

import re
from typing import Any

from domain.ingest.model import Receipt
from projections.runtime.query import ReadStore
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

SOURCE = "/hsds"
KINDS = {"organization": "provider", "service": "offering"}
_EVENT_ID = re.compile(r"^hsds:(organization|service):([0-9a-f-]{36})$")

IDENTIFIERS = Table(
    "hsds_identifiers",
    cols("record_id kind hsds_id"),
    key=("record_id",),
    indexes=(("hsds_id",),),
)


def event_id(hsds_kind: str, hsds_id: str) -> str:
    """The CloudEvent id an import gives the record that an HSDS object becomes."""
    return f"hsds:{hsds_kind}:{hsds_id}"


class HsdsIdentifiers(View):
    """record id → the HSDS id it was imported under."""

    name = "hsds_identifiers"
    tables = (IDENTIFIERS,)

    def handlers(self) -> dict[type, Handler]:
        """Receipts of import events."""
        return {Receipt.Issued: self._issued}

    @staticmethod
    def _issued(e: Any, tx: Tx, _: int) -> None:
        found = _EVENT_ID.match(e.event_id) if e.source == SOURCE else None
        if found is None or e.outcome.get("kind") != KINDS[found.group(1)]:
            return
        tx.upsert(
            "hsds_identifiers",
            {
                "record_id": e.outcome["aggregate_id"],
                "kind": e.outcome["kind"],
                "hsds_id": found.group(2),
            },
        )


def hsds_ids(store: ReadStore) -> dict[str, str]:
    """Every imported record's HSDS id, by record id."""
    rows = store.fetch("SELECT record_id, hsds_id FROM hsds_identifiers", {}, "hsds_identifiers")
    return {r["record_id"]: r["hsds_id"] for r in rows}


def record_for(store: ReadStore, kind: str, hsds_id: str) -> str | None:
    """The record an HSDS id was imported as, if any."""
    rows = store.fetch(
        "SELECT record_id FROM hsds_identifiers WHERE hsds_id = :h AND kind = :k",
        {"h": hsds_id, "k": kind},
        "hsds_identifiers",
    )
    return str(rows[0]["record_id"]) if rows else None
