"""A household's region and the holders of its referrals, read from the views."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.privacy.access import HouseholdScope


def view_scope(store: Any) -> Any:
    """A scope look-up over the view store (household files and the referral board)."""

    def scope_of(household: UUID) -> HouseholdScope:
        params = {"h": str(household)}
        region = store.scalar(
            "SELECT region_code FROM household_files WHERE household_id = :h", params
        )
        rows = store.fetch(
            "SELECT DISTINCT holder FROM referral_board WHERE household_id = :h",
            params,
            "referral_board",
        )
        return HouseholdScope(region, frozenset(r["holder"] for r in rows if r["holder"]))

    return scope_of
