"""The pairings list: who is paired with which household, and when each contact is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.pairings.model import Pairing
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

PAIRINGS = Table(
    "pairings",
    cols(
        "pairing_id household_id region_code kind helper_ref status started_at:ts"
        " call_due_at:ts visit_due_at:ts deed_due_at:ts next_due_at:ts"
        " last_contact_at:ts contacts:int ended_at:ts end_reason updated_at:ts version:int"
    ),
    key=("pairing_id",),
    indexes=(("region_code",), ("status", "next_due_at")),
)
_DUE = {"call": "call_due_at", "visit": "visit_due_at", "deed": "deed_due_at"}


def _earliest(row: dict[str, Any]) -> Any:
    # Stored times may come back as text: compare them as times.
    dues = [
        datetime.fromisoformat(v) if isinstance(v, str) else v
        for v in (row.get(c) for c in _DUE.values())
        if v is not None
    ]
    return min(dues) if dues else None


class Pairings(View):
    """One row per pairing; a contact moves its kind's due date, ending clears them."""

    name = "pairings"
    tables = (PAIRINGS,)

    def handlers(self) -> dict[type, Handler]:
        """The pairing's life."""
        return {
            Pairing.Started: self._started,
            Pairing.ContactRecorded: self._contact,
            Pairing.Ended: self._ended,
        }

    @staticmethod
    def _started(e: Any, tx: Tx, _: int) -> None:
        row: dict[str, Any] = {
            "pairing_id": str(e.originator_id),
            "household_id": str(e.household_id),
            "region_code": e.region_code,
            "kind": e.kind,
            "helper_ref": e.helper_ref,
            "status": "active",
            "started_at": e.started_at,
            "contacts": 0,
            "updated_at": e.timestamp,
            "version": e.originator_version,
        }
        for contact, column in _DUE.items():
            days = e.cadence.get(contact)
            row[column] = None if days is None else e.started_at + timedelta(days=days)
        row["next_due_at"] = _earliest(row)
        tx.upsert("pairings", row)

    @staticmethod
    def _contact(e: Any, tx: Tx, _: int) -> None:
        key = {"pairing_id": str(e.originator_id)}
        row = dict(tx.get("pairings", **key) or {})
        row[_DUE[e.contact]] = e.next_due_at
        tx.update(
            "pairings",
            key,
            **{_DUE[e.contact]: e.next_due_at},
            next_due_at=_earliest(row),
            last_contact_at=e.contacted_at,
            contacts=(row.get("contacts") or 0) + 1,
            updated_at=e.timestamp,
            version=e.originator_version,
        )

    @staticmethod
    def _ended(e: Any, tx: Tx, _: int) -> None:
        tx.update(
            "pairings",
            {"pairing_id": str(e.originator_id)},
            status="ended",
            next_due_at=None,
            ended_at=e.ended_at,
            end_reason=e.reason,
            updated_at=e.timestamp,
            version=e.originator_version,
        )
