"""A purchased-service contract (政府购买服务): a packaged budget implemented item by item."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, NotFound, RuleViolation
from domain.shared.money import show


class Contract(Aggregate):
    """A provider's contract; each delivery spends an item's budget and person-times."""

    class Signed(Aggregate.Created):
        provider_id: UUID
        region_code: str
        title: str
        budget_fen: int
        funding_source: str
        items: list[dict[str, Any]]
        signed_by: str
        signed_at: datetime

    class DeliveryRecorded(Aggregate.Event):
        delivery_id: UUID
        item_id: str
        household_id: UUID
        region_code: str
        offering_id: UUID | None
        person_times: int
        cost_fen: int
        note: str
        recorded_by: str
        delivered_at: datetime

    @event(Signed)
    def __init__(
        self,
        *,
        id: UUID,
        provider_id: UUID,
        region_code: str,
        title: str,
        budget_fen: int,
        funding_source: str,
        items: list[dict[str, Any]],
        signed_by: str,
        signed_at: datetime,
    ) -> None:
        self.provider_id = provider_id
        self.region_code = region_code
        self.title = title
        self.budget_fen = budget_fen
        # item id → the item as signed, plus what has been spent and used of it
        self.items: dict[str, dict[str, Any]] = {
            i["item_id"]: {**i, "spent_fen": 0, "used": 0} for i in items
        }

    def item(self, item_id: str) -> dict[str, Any]:
        """One item of the contract, with what is spent and used."""
        found = self.items.get(item_id)
        if found is None:
            names = ", ".join(sorted(self.items))
            raise NotFound("contract item", f"{item_id!r} (the contract's items: {names})")
        return found

    def record_delivery(
        self,
        *,
        delivery_id: UUID,
        item_id: str,
        household_id: UUID,
        region_code: str,
        offering_id: UUID | None,
        person_times: int,
        cost_fen: int,
        note: str,
        by: str,
        at: datetime,
    ) -> None:
        """Count a delivery against an item; refused beyond its remaining budget or capacity."""
        item = self.item(item_id)
        if person_times < 1:
            raise InvalidValue("person_times", "a delivery counts at least one person-time")
        budget_left = item["budget_fen"] - item["spent_fen"]
        if cost_fen > budget_left:
            raise RuleViolation(
                f"contract item {item['name']!r} has {show(budget_left)} left of"
                f" {show(item['budget_fen'])}; this delivery costs {show(cost_fen)}"
            )
        capacity = item["capacity"]
        if capacity is not None and person_times > capacity - item["used"]:
            raise RuleViolation(
                f"contract item {item['name']!r} has {capacity - item['used']} of {capacity}"
                f" person-times left; this delivery counts {person_times}"
            )
        self._record_delivery(
            delivery_id=delivery_id,
            item_id=item_id,
            household_id=household_id,
            region_code=region_code,
            offering_id=offering_id,
            person_times=person_times,
            cost_fen=cost_fen,
            note=note,
            recorded_by=by,
            delivered_at=at,
        )

    @event(DeliveryRecorded)
    def _record_delivery(
        self,
        delivery_id: UUID,
        item_id: str,
        household_id: UUID,
        region_code: str,
        offering_id: UUID | None,
        person_times: int,
        cost_fen: int,
        note: str,
        recorded_by: str,
        delivered_at: datetime,
    ) -> None:
        item = self.items[item_id]
        item["spent_fen"] += cost_fen
        item["used"] += person_times
