"""The household file's consents and legal bases, as the file shows them (withdrawn ones too)."""

from __future__ import annotations

from typing import Any

from domain.households.consent import Sharing


def sharing_after(entries: list[dict[str, Any]], e: Any) -> list[dict[str, Any]]:
    """The file's sharing entries after a consent or legal-basis event, oldest first."""
    if isinstance(e, Sharing.ConsentWithdrawn):
        return [
            {**x, "withdrawn_at": e.withdrawn_at.isoformat(), "withdrawn_by": e.by}
            if x["basis"] == "consent" and x["recipient"] == e.recipient and not x["withdrawn_at"]
            else x
            for x in entries
        ]
    if isinstance(e, Sharing.ConsentGiven):
        entry = {
            "basis": "consent",
            "recipient": e.recipient,
            "purpose": e.purpose,
            "document": e.document,
            "until": e.until,
            "by": e.by,
            "since": e.given_at.isoformat(),
            "withdrawn_at": None,
        }
    else:
        entry = {
            "basis": "legal_basis",
            "recipient": e.recipient,
            "article": e.article,
            "note": e.note,
            "until": e.until,
            "by": e.by,
            "since": e.recorded_at.isoformat(),
            "withdrawn_at": None,
        }
    return [*entries, entry]
