"""Statistics of help given: person-times and yuan by provider, fund, type, region, month."""

from __future__ import annotations

from typing import Any

from domain.contracts.model import Contract
from domain.funds.model import Fund
from domain.needs.model import Need
from domain.shared.months import month_of
from domain.supply.model import Provider
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

# One row per delivery and per disbursement: the facts every statistic sums.
FACTS = Table(
    "stats_facts",
    cols(
        "fact_id kind month provider_id fund_id contract_id need_type category region_code"
        " town_code household_id person_times:int amount_fen:int occurred_at:ts"
    ),
    key=("fact_id",),
    indexes=(("kind", "month"), ("region_code",)),
)
NAMES = Table("stats_names", cols("ref_id name kind"), key=("ref_id",))
CONTRACTS = Table(
    "stats_contracts",
    cols(
        "contract_id provider_id title region_code budget_fen:int spent_fen:int person_times:int"
        " funding_source signed_at:ts"
    ),
    key=("contract_id",),
    indexes=(("region_code",),),
)
ITEMS = Table(
    "stats_contract_items",
    cols(
        "contract_id item_id name need_type category offering_id budget_fen:int spent_fen:int"
        " capacity:int used:int deliveries:int"
    ),
    key=("contract_id", "item_id"),
)
NEEDS = Table("stats_needs", cols("need_id need_type"), key=("need_id",))
ALLOCATIONS = Table(
    "stats_allocations",
    cols("allocation_id need_type category region_code"),
    key=("allocation_id",),
)


class SupplyStats(View):
    """Deliveries and disbursements as facts, and contracts with what is left of each item."""

    name = "supply_stats"
    tables = (FACTS, NAMES, CONTRACTS, ITEMS, NEEDS, ALLOCATIONS)
    schema_version = 2  # 2: months on the alliances' clock (Asia/Shanghai), not UTC

    def handlers(self) -> dict[type, Handler]:
        """Names, contracts, deliveries, needs (for their type), allocations, disbursements."""
        return {
            Provider.Registered: self._named("provider"),
            Fund.Opened: self._named("fund"),
            Need.Raised: self._need,
            Contract.Signed: self._signed,
            Contract.DeliveryRecorded: self._delivered,
            Fund.Allocated: self._allocated,
            Fund.Disbursed: self._disbursed,
        }

    @staticmethod
    def _named(kind: str) -> Handler:
        def handle(e: Any, tx: Tx, _: int) -> None:
            tx.upsert("stats_names", {"ref_id": str(e.originator_id), "name": e.name, "kind": kind})

        return handle

    @staticmethod
    def _need(e: Any, tx: Tx, _: int) -> None:
        tx.upsert("stats_needs", {"need_id": str(e.originator_id), "need_type": e.need_type})

    @staticmethod
    def _signed(e: Any, tx: Tx, _: int) -> None:
        contract_id = str(e.originator_id)
        tx.upsert(
            "stats_contracts",
            {
                "contract_id": contract_id,
                "provider_id": str(e.provider_id),
                "title": e.title,
                "region_code": e.region_code,
                "budget_fen": e.budget_fen,
                "spent_fen": 0,
                "person_times": 0,
                "funding_source": e.funding_source,
                "signed_at": e.signed_at,
            },
        )
        for item in e.items:
            tx.upsert(
                "stats_contract_items",
                {
                    "contract_id": contract_id,
                    "item_id": item["item_id"],
                    "name": item["name"],
                    "need_type": item["need_type"],
                    "category": item["category"],
                    "offering_id": item["offering_id"],
                    "budget_fen": item["budget_fen"],
                    "spent_fen": 0,
                    "capacity": item["capacity"],
                    "used": 0,
                    "deliveries": 0,
                },
            )

    @staticmethod
    def _delivered(e: Any, tx: Tx, _: int) -> None:
        contract_id = str(e.originator_id)
        contract = tx.get("stats_contracts", contract_id=contract_id)
        item_key = {"contract_id": contract_id, "item_id": e.item_id}
        item = tx.get("stats_contract_items", **item_key)
        if contract is None or item is None:
            return
        tx.update(
            "stats_contracts",
            {"contract_id": contract_id},
            spent_fen=contract["spent_fen"] + e.cost_fen,
            person_times=contract["person_times"] + e.person_times,
        )
        tx.update(
            "stats_contract_items",
            item_key,
            spent_fen=item["spent_fen"] + e.cost_fen,
            used=item["used"] + e.person_times,
            deliveries=item["deliveries"] + 1,
        )
        tx.upsert(
            "stats_facts",
            {
                "fact_id": str(e.delivery_id),
                "kind": "delivery",
                "month": month_of(e.delivered_at),
                "provider_id": contract["provider_id"],
                "fund_id": None,
                "contract_id": contract_id,
                "need_type": item["need_type"],
                "category": item["category"],
                "region_code": e.region_code,
                "town_code": e.region_code[:9],
                "household_id": str(e.household_id),
                "person_times": e.person_times,
                "amount_fen": e.cost_fen,
                "occurred_at": e.delivered_at,
            },
        )

    @staticmethod
    def _allocated(e: Any, tx: Tx, _: int) -> None:
        need = tx.get("stats_needs", need_id=str(e.need_id))
        tx.upsert(
            "stats_allocations",
            {
                "allocation_id": str(e.allocation_id),
                "need_type": need["need_type"] if need else None,
                "category": e.category,
                "region_code": e.region_code,
            },
        )

    @staticmethod
    def _disbursed(e: Any, tx: Tx, _: int) -> None:
        allocation = tx.get("stats_allocations", allocation_id=str(e.allocation_id)) or {}
        region = allocation.get("region_code") or ""
        tx.upsert(
            "stats_facts",
            {
                "fact_id": str(e.allocation_id),
                "kind": "disbursement",
                "month": month_of(e.disbursed_at),
                "provider_id": None,
                "fund_id": str(e.originator_id),
                "contract_id": None,
                "need_type": allocation.get("need_type"),
                "category": allocation.get("category"),
                "region_code": region,
                "town_code": region[:9],
                "household_id": str(e.household_id),
                "person_times": 1,
                "amount_fen": e.amount_fen,
                "occurred_at": e.disbursed_at,
            },
        )
