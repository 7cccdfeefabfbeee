"""Supply-side event types: each one's schema and the command it becomes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.funds.application import DonorKind
from domain.funds.earmark import Earmark
from domain.ingest.model import Outcome
from domain.shared.money import yuan_to_fen
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind
from services.ingest import supply_schemas as ss
from services.ingest.schemas import Schema

if TYPE_CHECKING:
    from domain.alliance import Alliance
    from services.ingest.catalogue import Context

Handle = Callable[["Alliance", dict[str, Any], "Context"], Outcome]


def fen(d: dict[str, Any], name: str) -> int:
    """`<name>_fen` as given, or `<name>_yuan` converted exactly."""
    if f"{name}_fen" in d:
        value: int = d[f"{name}_fen"]
        return value
    return yuan_to_fen(d[f"{name}_yuan"], f"data.{name}_yuan")


def _provider(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.register_provider(
        name=d["name"],
        kind=ProviderKind(d["kind"]),
        region_code=d["region_code"],
        description=d.get("description", ""),
        by=d["registered_by"],
        at=c.at,
        key=c.key,
    )


def _published(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.publish_offering(
        provider_id=UUID(d["provider_id"]),
        terms=OfferingTerms.parse(d),
        by=d["published_by"],
        at=c.at,
        key=c.key,
    )


def _updated(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.update_offering(
        offering_id=UUID(d["offering_id"]),
        terms=OfferingTerms.parse(d),
        by=d["updated_by"],
        at=c.at,
        expected_version=c.expected_version,
        key=c.key,
    )


def _closed(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.close_offering(
        offering_id=UUID(d["offering_id"]),
        by=d["department"],
        reason=d["reason"],
        at=c.at,
        expected_version=c.expected_version,
        key=c.key,
    )


def _fund(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.open_fund(
        name=d["name"],
        region_code=d["region_code"],
        managed_by=d["managed_by"],
        description=d.get("description", ""),
        at=c.at,
        key=c.key,
    )


def _donation(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.receive_donation(
        fund_id=UUID(d["fund_id"]),
        donor=d["donor"],
        donor_kind=DonorKind(d["donor_kind"]),
        amount_fen=fen(d, "amount"),
        earmark=Earmark.parse(d.get("earmark"), "data.earmark"),
        by=d["recorded_by"],
        at=c.at,
        key=c.key,
    )


def _earmarked(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    earmark = Earmark.parse(d["earmark"], "data.earmark")
    assert earmark is not None  # the schema requires at least one property
    return app.earmark_money(
        fund_id=UUID(d["fund_id"]),
        earmark=earmark,
        amount_fen=fen(d, "amount"),
        by=d["by"],
        at=c.at,
        key=c.key,
    )


def _allocated(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.allocate_money(
        fund_id=UUID(d["fund_id"]),
        need_id=UUID(d["need_id"]),
        amount_fen=fen(d, "amount"),
        earmark=Earmark.parse(d.get("earmark"), "data.earmark"),
        by=d["by"],
        at=c.at,
        key=c.key,
    )


def _cancelled(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.cancel_allocation(
        fund_id=UUID(d["fund_id"]),
        allocation_id=UUID(d["allocation_id"]),
        reason=d["reason"],
        by=d["by"],
        at=c.at,
        key=c.key,
    )


def _disbursed(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    direct = "need_id" in d
    return app.disburse_money(
        fund_id=UUID(d["fund_id"]),
        reference=d.get("reference", ""),
        by=d["by"],
        at=c.at,
        allocation_id=None if direct else UUID(d["allocation_id"]),
        need_id=UUID(d["need_id"]) if direct else None,
        amount_fen=fen(d, "amount") if direct else None,
        earmark=Earmark.parse(d.get("earmark"), "data.earmark"),
        key=c.key,
    )


def _refunded(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.refund_donation(
        fund_id=UUID(d["fund_id"]),
        donation_id=UUID(d["donation_id"]),
        amount_fen=fen(d, "amount"),
        reason=d["reason"],
        by=d["by"],
        at=c.at,
        key=c.key,
    )


def _signed(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    items = [{**i, "budget_fen": fen(i, "budget")} for i in d["items"]]
    return app.sign_contract(
        provider_id=UUID(d["provider_id"]),
        title=d["title"],
        budget_fen=fen(d, "budget"),
        funding_source=d.get("funding_source", ""),
        items=items,
        by=d["signed_by"],
        at=c.at,
        key=c.key,
    )


def _delivered(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    from services.ingest.catalogue import household_key  # the one place keys are derived

    return app.record_delivery(
        contract_id=UUID(d["contract_id"]),
        item_id=d["item_id"],
        household_key=household_key(d, c.secret),
        person_times=d["person_times"],
        cost_fen=d["cost_fen"] if "cost_fen" in d else fen(d, "cost"),
        by=d["provider"],
        at=c.at,
        note=d.get("note", ""),
        key=c.key,
    )


# (name, summary, schema, handler), wrapped into EventTypes by the catalogue.
SUPPLY_TYPES: list[tuple[str, str, Schema, Handle]] = [
    (
        "provider.registered.v1",
        "A department, provider, social organisation or volunteer team joined",
        ss.PROVIDER_REGISTERED,
        _provider,
    ),
    (
        "offering.published.v1",
        "A provider published a service: type, area, capacity, eligibility, cost",
        ss.OFFERING_PUBLISHED,
        _published,
    ),
    ("offering.updated.v1", "An offering's terms changed", ss.OFFERING_UPDATED, _updated),
    ("offering.closed.v1", "An offering is no longer given", ss.OFFERING_CLOSED, _closed),
    ("fund.opened.v1", "A charity fund was opened", ss.FUND_OPENED, _fund),
    (
        "fund.donation_received.v1",
        "Money received into a fund, free or earmarked by the donor",
        ss.DONATION_RECEIVED,
        _donation,
    ),
    ("fund.earmarked.v1", "Free money set aside for an earmark", ss.FUND_EARMARKED, _earmarked),
    (
        "fund.allocated.v1",
        "Money reserved for a household's need (refused beyond the pool's balance)",
        ss.FUND_ALLOCATED,
        _allocated,
    ),
    (
        "fund.allocation_cancelled.v1",
        "A reservation released; the money returns to its pool",
        ss.ALLOCATION_CANCELLED,
        _cancelled,
    ),
    (
        "fund.disbursed.v1",
        "Money paid to a household against a need",
        ss.FUND_DISBURSED,
        _disbursed,
    ),
    (
        "fund.donation_refunded.v1",
        "Unspent money returned to a donor",
        ss.DONATION_REFUNDED,
        _refunded,
    ),
    (
        "contract.signed.v1",
        "A purchased-service contract: packaged budget split into items",
        ss.CONTRACT_SIGNED,
        _signed,
    ),
    (
        "contract.delivery_recorded.v1",
        "A provider delivered a service (person-times, cost) to a household",
        ss.DELIVERY_RECORDED,
        _delivered,
    ),
]
