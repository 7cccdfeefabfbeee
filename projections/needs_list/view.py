"""The needs list (需求清单): every need, typed and located, with where it stands."""

from __future__ import annotations

from typing import Any

from domain.needs.model import Need, NeedStatus
from domain.referrals.model import Referral
from domain.shared.taxonomy import Urgency
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

NEEDS = Table(
    "needs_list",
    cols(
        "need_id household_id region_code need_type category urgency urgency_rank:int status"
        " description raised_by raised_at:ts referral_id holder updated_at:ts version:int"
    ),
    key=("need_id",),
    indexes=(("region_code",), ("status", "urgency_rank", "raised_at")),
)

# Which need each referral holds, so later referral steps find their need.
NEED_OF_REFERRAL = Table("needs_list_referrals", cols("referral_id need_id"), key=("referral_id",))


class NeedsList(View):
    """One row per need; referral steps keep its holder current."""

    name = "needs_list"
    tables = (NEEDS, NEED_OF_REFERRAL)

    def handlers(self) -> dict[type, Handler]:
        """Need events and the referral events that move a need."""
        return {
            Need.Raised: self._raised,
            Need.Referred: self._status(NeedStatus.REFERRED),
            Need.Reopened: self._status(NeedStatus.OPEN),
            Need.Met: self._status(NeedStatus.MET),
            Need.Closed: self._status(NeedStatus.CLOSED),
            Referral.Requested: self._requested,
            Referral.Reassigned: self._reassigned,
        }

    @staticmethod
    def _raised(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "needs_list",
            {
                "need_id": str(e.originator_id),
                "household_id": str(e.household_id),
                "region_code": e.region_code,
                "need_type": e.need_type,
                "category": e.category,
                "urgency": e.urgency,
                "urgency_rank": Urgency(e.urgency).rank,
                "status": NeedStatus.OPEN.value,
                "description": e.description,
                "raised_by": e.raised_by,
                "raised_at": e.raised_at,
                "referral_id": None,
                "holder": None,
                "updated_at": e.timestamp,
                "version": e.originator_version,
            },
        )

    @staticmethod
    def _status(status: NeedStatus) -> Handler:
        def handle(e: Any, tx: Tx, _: int) -> None:
            changes: dict[str, Any] = {
                "status": status.value,
                "updated_at": e.timestamp,
                "version": e.originator_version,
            }
            if status is NeedStatus.REFERRED:
                changes["referral_id"] = str(e.referral_id)
            if status is NeedStatus.OPEN:
                changes.update(referral_id=None, holder=None)
            tx.update("needs_list", {"need_id": str(e.originator_id)}, **changes)

        return handle

    @staticmethod
    def _requested(e: Any, tx: Tx, _: int) -> None:
        referral_id, need_id = str(e.originator_id), str(e.need_id)
        tx.upsert("needs_list_referrals", {"referral_id": referral_id, "need_id": need_id})
        tx.update("needs_list", {"need_id": need_id}, holder=e.to_department)

    @staticmethod
    def _reassigned(e: Any, tx: Tx, _: int) -> None:
        link = tx.get("needs_list_referrals", referral_id=str(e.originator_id))
        if link is not None:
            tx.update("needs_list", {"need_id": link["need_id"]}, holder=e.to_department)
