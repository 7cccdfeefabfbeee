"""Ingest receipts: the first outcome of each department event, so a resend changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = UUID("0c9a4d5e-2b71-4f0e-9d3c-6a8b1e2f7d40")


@dataclass(frozen=True)
class EventKey:
    """What identifies a published event (CloudEvents source + id) and what it said (digest)."""

    source: str
    event_id: str
    event_type: str
    digest: str

    @property
    def receipt_id(self) -> UUID:
        """The receipt's aggregate id: a resend maps to the same id."""
        return Receipt.create_id(self.source, self.event_id)

    def derived_id(self, purpose: str) -> UUID:
        """A stable id for a record this event creates, so a retry names the same record."""
        return uuid5(_NAMESPACE, f"{self.source}\x1f{self.event_id}\x1f{purpose}")


@dataclass(frozen=True)
class Outcome:
    """What a command did: which record it changed and to which version."""

    kind: str
    aggregate_id: UUID
    version: int
    duplicate: bool = False

    def as_record(self) -> dict[str, Any]:
        """The outcome as stored in a receipt."""
        return {"kind": self.kind, "aggregate_id": str(self.aggregate_id), "version": self.version}

    @classmethod
    def from_record(cls, record: dict[str, Any], *, duplicate: bool) -> Outcome:
        """The outcome a receipt recorded."""
        return cls(record["kind"], UUID(record["aggregate_id"]), record["version"], duplicate)


class Receipt(Aggregate):
    """The record that a department event was taken, and with what outcome."""

    class Issued(Aggregate.Created):
        source: str
        event_id: str
        event_type: str
        digest: str
        outcome: dict[str, Any]

    @staticmethod
    def create_id(source: str, event_id: str, **_: Any) -> UUID:
        """Source + id name the receipt."""
        return uuid5(_NAMESPACE, f"{source}\x1f{event_id}")

    @event(Issued)
    def __init__(
        self, *, source: str, event_id: str, event_type: str, digest: str, outcome: dict[str, Any]
    ) -> None:
        self.source = source
        self.event_id = event_id
        self.event_type = event_type
        self.digest = digest
        self.outcome = outcome
