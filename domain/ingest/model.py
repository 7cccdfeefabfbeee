"""Ingest receipts: the first outcome of each department event, so a resend changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import uuid5

_NAMESPACE = UUID("0c9a4d5e-2b71-4f0e-9d3c-6a8b1e2f7d40")
# Digests made since re-sends are compared on type, subject, time and data carry this prefix;
# older receipts' digests covered type and data only.
DIGEST_V2 = "v2:"


def _encode(*parts: str) -> str:
    """An unambiguous encoding of several strings: a JSON array (no separator can collide)."""
    return json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"))


# A command looks its receipt up, then creates it: the same id twice per event.
@lru_cache(maxsize=4096)
def _receipt_id(source: str, event_id: str) -> UUID:
    return uuid5(_NAMESPACE, _encode("receipt", source, event_id))


@lru_cache(maxsize=4096)
def _legacy_receipt_id(source: str, event_id: str) -> UUID:
    return uuid5(_NAMESPACE, f"{source}\x1f{event_id}")


@dataclass(frozen=True)
class EventKey:
    """What identifies a published event (CloudEvents source + id) and what it said (digest)."""

    source: str
    event_id: str
    event_type: str
    digest: str
    legacy_digest: str | None = None  # what a receipt written before DIGEST_V2 would hold
    # Or how to make it: only a receipt found with an old digest needs it, so the ingestor
    # passes the computation instead of hashing every event's data a second time.
    legacy_digest_of: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    @property
    def receipt_id(self) -> UUID:
        """The receipt's aggregate id: a resend maps to the same id."""
        return Receipt.create_id(self.source, self.event_id)

    @property
    def legacy_receipt_id(self) -> UUID:
        """Where a receipt written before the unambiguous encoding lives (read, never written)."""
        return _legacy_receipt_id(self.source, self.event_id)

    def names(self, receipt: Receipt) -> bool:
        """Whether a receipt found at one of this key's ids was written for this very event."""
        return (receipt.source, receipt.event_id) == (self.source, self.event_id)

    def same_content(self, receipt: Receipt) -> bool:
        """A re-send: same type, subject, time and data (old receipts: same type and data)."""
        if receipt.digest == self.digest:
            return True
        if receipt.digest.startswith(DIGEST_V2):
            return False
        legacy = self.legacy_digest
        if legacy is None and self.legacy_digest_of is not None:
            legacy = self.legacy_digest_of()
        return legacy is not None and receipt.digest == legacy

    def derived_id(self, purpose: str) -> UUID:
        """A stable id for a record this event creates, so a retry names the same record.

        Kept in its first form (published ids, the demo's data, depend on it): two events whose
        source and id collide under the separator would name one record, and the second
        creation is refused as a conflict (409), never merged — the receipt tells them apart.
        """
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
        """Source + id name the receipt, encoded so that no two pairs share an id."""
        return _receipt_id(source, event_id)

    @event(Issued)
    def __init__(
        self, *, source: str, event_id: str, event_type: str, digest: str, outcome: dict[str, Any]
    ) -> None:
        self.source = source
        self.event_id = event_id
        self.event_type = event_type
        self.digest = digest
        self.outcome = outcome
