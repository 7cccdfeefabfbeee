"""Fund types: charity money in, set aside, reserved, paid and refunded."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, model_validator

from domain.funds.application import DonorKind
from domain.funds.earmark import Earmark
from domain.shared.taxonomy import Category
from services.ingest.catalogue.definition import Argument, Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Amount,
    Fen,
    Lax,
    Name,
    Note,
    Part,
    RecordId,
    RegionCode,
    RegionPrefix,
    Text,
    Word,
    Yuan,
    fen_of,
)

_FUND = "6c5d4e3f-2a1b-4c9d-8e7f-6a5b4c3d2e1f"
_NEED = "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"


def fund_change(name: str, command: str, **example: Any) -> Any:
    """Declare a change to a fund, acted by its manager (version 1 called the actor `by`)."""
    return declare(
        f"fund.{name}",
        changes="fund",
        command=command,
        v1="by",
        example={"fund_id": _FUND, "actor": "charity-federation", **example},
    )


class EarmarkData(Part, Argument):
    """Restrict money to a group (e.g. single_parent), a need category, a region, or several."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    group: Word | None = None
    category: Lax[Category] | None = None
    region: RegionPrefix | None = None

    @model_validator(mode="after")
    def _something(self) -> EarmarkData:
        if self.group is None and self.category is None and self.region is None:
            raise ValueError("an earmark names a group, a category or a region")
        return self

    def argument(self, context: Context) -> Earmark | None:
        """The domain's earmark."""
        return Earmark.parse(self.model_dump(mode="json", exclude_none=True), "data.earmark")


@declare(
    "fund.opened",
    creates="fund",
    command="open_fund",
    actor="managed_by",
    v1="managed_by",
    example={
        "name": "Xihu community charity fund",
        "region_code": "330106",
        "actor": "charity-federation",
    },
)
class FundOpened(Data):
    """A charity fund was opened"""

    name: Name
    region_code: RegionCode
    description: Note = ""


@declare(
    "fund.donation_received",
    changes="fund",
    command="receive_donation",
    v1="recorded_by",
    example={
        "fund_id": _FUND,
        "donor": "Hangzhou Lvcheng Property Co.",
        "donor_kind": "company",
        "amount_yuan": "100000.00",
        "earmark": {"group": "single_parent"},
        "actor": "charity-federation",
    },
)
class DonationReceived(Amount):
    """Money received into a fund, free or earmarked by the donor"""

    fund_id: RecordId
    donor: Name
    donor_kind: Lax[DonorKind]
    earmark: EarmarkData | None = None


@fund_change("earmarked", "earmark_money", earmark={"category": "medical"}, amount_yuan="20000.00")
class Earmarked(Amount):
    """Free money set aside for an earmark"""

    fund_id: RecordId
    earmark: EarmarkData


@fund_change("allocated", "allocate_money", need_id=_NEED, amount_yuan="2500.00")
class Allocated(Amount):
    """Money reserved for a household's need (refused beyond the pool's balance)"""

    fund_id: RecordId
    need_id: RecordId
    earmark: EarmarkData | None = None


@fund_change(
    "allocation_cancelled",
    "cancel_allocation",
    allocation_id="0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
    reason="covered by medical assistance",
)
class AllocationCancelled(Data):
    """A reservation released; the money returns to its pool"""

    fund_id: RecordId
    allocation_id: RecordId
    reason: Text


@fund_change(
    "disbursed",
    "disburse_money",
    need_id=_NEED,
    amount_yuan="2500.00",
    reference="bank transfer 2026-11-20",
)
class Disbursed(Data):
    """Money paid to a household against a need: an earlier allocation, or a need at once (a
    need and an amount, maybe from an earmark)"""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["allocation_id"],
                    "not": {
                        "anyOf": [
                            {"required": [k]} for k in ("need_id", "amount_fen", "amount_yuan")
                        ]
                    },
                },
                {
                    "required": ["need_id"],
                    "oneOf": [{"required": ["amount_fen"]}, {"required": ["amount_yuan"]}],
                },
            ]
        }
    )

    fund_id: RecordId
    allocation_id: RecordId | None = None
    need_id: RecordId | None = None
    amount_fen: Fen | None = None
    amount_yuan: Yuan | None = None
    earmark: EarmarkData | None = None
    reference: Note = ""

    @model_validator(mode="after")
    def _allocation_or_need(self) -> Disbursed:
        amounts = (self.amount_fen is not None) + (self.amount_yuan is not None)
        if self.allocation_id is not None:
            if self.need_id is not None or amounts:
                raise ValueError("name an allocation, or a need and an amount — not both")
        elif self.need_id is None or amounts != 1:
            raise ValueError("name an allocation, or a need and exactly one amount")
        return self

    def arguments(self, context: Context) -> dict[str, Any]:
        """An allocation to pay, or a need and its amount in fen."""
        out = super().arguments(context)
        out.pop("amount_yuan")
        out["amount_fen"] = fen_of(self, "amount", "data")
        return out


@fund_change(
    "donation_refunded",
    "refund_donation",
    donation_id="1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    amount_yuan="500.00",
    reason="the donor's earmark could not be used",
)
class Refunded(Amount):
    """Unspent money returned to a donor"""

    fund_id: RecordId
    donation_id: RecordId
    reason: Text


@declare(
    "reservation.released",
    changes="reservation",
    command="release_reservation",
    version=1,
    example={
        "referral_id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
        "reason": "the family will be served by the town's own team",
        "actor": "civil-affairs",
    },
)
class ReservationReleased(Data):
    """A coordinator ended a match's reservation unused (capacity or money back to the offering
    or fund); refusals, reassignments, a met need, deliveries, disbursements and the clock's
    expiry end reservations by themselves"""

    referral_id: RecordId
    reason: Text
