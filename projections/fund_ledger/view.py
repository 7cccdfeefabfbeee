"""The money of the resource list (资源清单): fund balances, earmarks, donors, and the trace."""

from __future__ import annotations

from typing import Any

from domain.funds.earmark import Earmark, key_of
from domain.funds.model import Fund
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

BALANCES = Table(
    "fund_balances",
    cols(
        "fund_id name region_code managed_by description received_fen:int refunded_fen:int"
        " reserved_fen:int disbursed_fen:int free_fen:int earmarked_fen:int donations:int"
        " donors:int opened_at:ts updated_at:ts version:int"
    ),
    key=("fund_id",),
    indexes=(("region_code",),),
)
# Available money per pool ('' is the free pool).
POOLS = Table(
    "fund_pools", cols("fund_id pool earmark:json available_fen:int"), key=("fund_id", "pool")
)
DONORS = Table(
    "fund_donors",
    cols("fund_id donor donor_kind donated_fen:int refunded_fen:int donations:int"),
    key=("fund_id", "donor"),
)
DONATIONS = Table(
    "fund_donations",
    cols(
        "donation_id fund_id donor donor_kind amount_fen:int refunded_fen:int earmark:json"
        " received_at:ts"
    ),
    key=("donation_id",),
    indexes=(("fund_id",),),
)
ALLOCATIONS = Table(
    "fund_allocations",
    cols(
        "allocation_id fund_id household_id need_id region_code category earmark:json"
        " amount_fen:int draws:json status allocated_at:ts disbursed_at:ts reference"
    ),
    key=("allocation_id",),
    indexes=(("fund_id",), ("household_id",)),
)
# Every yuan's path: which donation's money went to which household's need, and where it stands.
TRACE = Table(
    "fund_trace",
    cols(
        "allocation_id donation_id pool draw:int fund_id donor donor_kind household_id need_id"
        " category region_code amount_fen:int status allocated_at:ts disbursed_at:ts"
    ),
    key=("allocation_id", "donation_id", "pool"),
    indexes=(("fund_id",), ("household_id",), ("donation_id",)),
)

_BALANCE_COLUMNS = ("received_fen", "refunded_fen", "reserved_fen", "disbursed_fen")


def _pool_key(earmark: dict[str, Any] | None) -> str:
    return key_of(Earmark.from_record(earmark))


class FundLedger(View):
    """Balances derived from the fund's events; the draws they carry make the trace."""

    name = "fund_ledger"
    tables = (BALANCES, POOLS, DONORS, DONATIONS, ALLOCATIONS, TRACE)

    def handlers(self) -> dict[type, Handler]:
        """Every fund event."""
        return {
            Fund.Opened: self._opened,
            Fund.DonationReceived: self._received,
            Fund.Earmarked: self._earmarked,
            Fund.Allocated: self._allocated,
            Fund.AllocationCancelled: self._cancelled,
            Fund.Disbursed: self._disbursed,
            Fund.DonationRefunded: self._refunded,
        }

    @staticmethod
    def _opened(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "fund_balances",
            {
                "fund_id": str(e.originator_id),
                "name": e.name,
                "region_code": e.region_code,
                "managed_by": e.managed_by,
                "description": e.description,
                **dict.fromkeys(_BALANCE_COLUMNS, 0),
                "free_fen": 0,
                "earmarked_fen": 0,
                "donations": 0,
                "donors": 0,
                "opened_at": e.opened_at,
                "updated_at": e.timestamp,
                "version": e.originator_version,
            },
        )

    @staticmethod
    def _pool(tx: Tx, fund_id: str, pool: str, delta: int, earmark: Any = None) -> None:
        row = tx.get("fund_pools", fund_id=fund_id, pool=pool)
        available = (row["available_fen"] if row else 0) + delta
        mark = row["earmark"] if row else earmark
        tx.upsert(
            "fund_pools",
            {"fund_id": fund_id, "pool": pool, "earmark": mark, "available_fen": available},
        )

    def _settle(self, e: Any, tx: Tx, **deltas: int) -> None:
        """Add to the fund's running totals and stamp its version."""
        key = {"fund_id": str(e.originator_id)}
        row = tx.get("fund_balances", **key)
        if row is None:
            return
        changes: dict[str, Any] = {k: row[k] + v for k, v in deltas.items()}
        changes.update(updated_at=e.timestamp, version=e.originator_version)
        tx.update("fund_balances", key, **changes)

    def _shift_free_earmarked(
        self, tx: Tx, fund_id: str, draws: list[dict[str, Any]], sign: int
    ) -> None:
        free = sum(d["amount_fen"] for d in draws if d["pool"] == "")
        marked = sum(d["amount_fen"] for d in draws if d["pool"] != "")
        row = tx.get("fund_balances", fund_id=fund_id)
        if row is not None:
            tx.update(
                "fund_balances",
                {"fund_id": fund_id},
                free_fen=row["free_fen"] + sign * free,
                earmarked_fen=row["earmarked_fen"] + sign * marked,
            )
        for d in draws:
            self._pool(tx, fund_id, d["pool"], sign * d["amount_fen"])

    def _received(self, e: Any, tx: Tx, _: int) -> None:
        fund_id, donation_id = str(e.originator_id), str(e.donation_id)
        pool = _pool_key(e.earmark)
        tx.upsert(
            "fund_donations",
            {
                "donation_id": donation_id,
                "fund_id": fund_id,
                "donor": e.donor,
                "donor_kind": e.donor_kind,
                "amount_fen": e.amount_fen,
                "refunded_fen": 0,
                "earmark": e.earmark,
                "received_at": e.received_at,
            },
        )
        donor = tx.get("fund_donors", fund_id=fund_id, donor=e.donor)
        tx.upsert(
            "fund_donors",
            {
                "fund_id": fund_id,
                "donor": e.donor,
                "donor_kind": e.donor_kind,
                "donated_fen": (donor["donated_fen"] if donor else 0) + e.amount_fen,
                "refunded_fen": donor["refunded_fen"] if donor else 0,
                "donations": (donor["donations"] if donor else 0) + 1,
            },
        )
        row = tx.get("fund_balances", fund_id=fund_id)
        if row is None:
            return
        self._pool(tx, fund_id, pool, e.amount_fen, e.earmark)
        tx.update(
            "fund_balances",
            {"fund_id": fund_id},
            received_fen=row["received_fen"] + e.amount_fen,
            free_fen=row["free_fen"] + (e.amount_fen if pool == "" else 0),
            earmarked_fen=row["earmarked_fen"] + (0 if pool == "" else e.amount_fen),
            donations=row["donations"] + 1,
            donors=row["donors"] + (0 if donor else 1),
            updated_at=e.timestamp,
            version=e.originator_version,
        )

    def _earmarked(self, e: Any, tx: Tx, _: int) -> None:
        fund_id, target = str(e.originator_id), _pool_key(e.earmark)
        self._shift_free_earmarked(tx, fund_id, e.draws, -1)
        moved = [{**d, "pool": target} for d in e.draws]
        self._pool(tx, fund_id, target, 0, e.earmark)
        self._shift_free_earmarked(tx, fund_id, moved, +1)
        self._settle(e, tx)

    def _allocated(self, e: Any, tx: Tx, _: int) -> None:
        fund_id, allocation_id = str(e.originator_id), str(e.allocation_id)
        self._shift_free_earmarked(tx, fund_id, e.draws, -1)
        self._settle(e, tx, reserved_fen=e.amount_fen)
        common = {
            "fund_id": fund_id,
            "household_id": str(e.household_id),
            "need_id": str(e.need_id),
            "region_code": e.region_code,
            "category": e.category,
            "status": "allocated",
            "allocated_at": e.allocated_at,
            "disbursed_at": None,
        }
        tx.upsert(
            "fund_allocations",
            {
                "allocation_id": allocation_id,
                "earmark": e.earmark,
                "amount_fen": e.amount_fen,
                "draws": e.draws,
                "reference": None,
                **common,
            },
        )
        for index, d in enumerate(e.draws):
            donation = tx.get("fund_donations", donation_id=d["donation_id"]) or {}
            tx.upsert(
                "fund_trace",
                {
                    "allocation_id": allocation_id,
                    "donation_id": d["donation_id"],
                    "pool": d["pool"],
                    "draw": index,  # FIFO order within the allocation
                    "donor": donation.get("donor"),
                    "donor_kind": donation.get("donor_kind"),
                    "amount_fen": d["amount_fen"],
                    **common,
                },
            )

    def _restatus(self, e: Any, tx: Tx, status: str, **changes: Any) -> dict[str, Any] | None:
        allocation_id = str(e.allocation_id)
        row = tx.get("fund_allocations", allocation_id=allocation_id)
        if row is None:
            return None
        tx.update("fund_allocations", {"allocation_id": allocation_id}, status=status, **changes)
        for d in row["draws"]:
            key = {
                "allocation_id": allocation_id,
                "donation_id": d["donation_id"],
                "pool": d["pool"],
            }
            tx.update("fund_trace", key, status=status, disbursed_at=changes.get("disbursed_at"))
        return row

    def _cancelled(self, e: Any, tx: Tx, _: int) -> None:
        row = self._restatus(e, tx, "cancelled")
        if row is not None:
            self._shift_free_earmarked(tx, str(e.originator_id), row["draws"], +1)
            self._settle(e, tx, reserved_fen=-row["amount_fen"])

    def _disbursed(self, e: Any, tx: Tx, _: int) -> None:
        row = self._restatus(e, tx, "disbursed", disbursed_at=e.disbursed_at, reference=e.reference)
        if row is not None:
            self._settle(e, tx, reserved_fen=-e.amount_fen, disbursed_fen=e.amount_fen)

    def _refunded(self, e: Any, tx: Tx, _: int) -> None:
        fund_id, donation_id = str(e.originator_id), str(e.donation_id)
        self._shift_free_earmarked(tx, fund_id, e.draws, -1)
        self._settle(e, tx, refunded_fen=e.amount_fen)
        donation = tx.get("fund_donations", donation_id=donation_id)
        if donation is None:
            return
        tx.update(
            "fund_donations",
            {"donation_id": donation_id},
            refunded_fen=donation["refunded_fen"] + e.amount_fen,
        )
        donor = {"fund_id": fund_id, "donor": donation["donor"]}
        found = tx.get("fund_donors", **donor)
        if found is not None:
            tx.update("fund_donors", donor, refunded_fen=found["refunded_fen"] + e.amount_fen)
