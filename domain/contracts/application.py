"""Commands on purchased-service contracts: sign one, record its deliveries."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from domain.contracts.model import Contract
from domain.households.identity import household_id
from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.matching.eligibility import HouseholdProfile, covers, eligibility_checks
from domain.matching.facts import birth_years, household_labels
from domain.reservations.keeper import ReservationKeeper
from domain.reservations.model import Kind, Reservation
from domain.shared.acting import Acting
from domain.shared.errors import InvalidValue, NotFound, NotPermitted, RuleViolation
from domain.shared.money import check_fen, show
from domain.shared.months import month_of
from domain.shared.regions import alliance_of
from domain.shared.taxonomy import Category, NeedType, parse_enum
from domain.supply.model import Offering, Provider

_ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def check_items(raw: list[dict[str, Any]], budget_fen: int) -> list[dict[str, Any]]:
    """Check the items of a packaged budget; together they may not exceed the package."""
    if not raw:
        raise InvalidValue("items", "a contract splits its budget into at least one item")
    items: list[dict[str, Any]] = []
    for i, r in enumerate(raw):
        item_id = str(r.get("item_id", ""))
        if not _ITEM_ID.match(item_id):
            raise InvalidValue(f"items[{i}].item_id", "lower-case letters, digits, - or _")
        if any(x["item_id"] == item_id for x in items):
            raise InvalidValue(f"items[{i}].item_id", f"{item_id!r} is listed twice")
        capacity = r.get("capacity")
        if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
            raise InvalidValue(f"items[{i}].capacity", "must be a whole number of person-times")
        offering = r.get("offering_id")
        items.append(
            {
                "item_id": item_id,
                "name": str(r.get("name") or item_id).strip(),
                "need_type": parse_enum(
                    NeedType, r.get("need_type"), f"items[{i}].need_type"
                ).value,
                "category": parse_enum(Category, r.get("category"), f"items[{i}].category").value,
                "offering_id": None if offering is None else str(UUID(str(offering))),
                "budget_fen": check_fen(r.get("budget_fen"), f"items[{i}].budget_fen"),
                "capacity": capacity,
            }
        )
    total = sum(x["budget_fen"] for x in items)
    if total > budget_fen:
        raise InvalidValue(
            "items",
            f"the items add up to {show(total)}, more than the budget of {show(budget_fen)}",
        )
    return items


def check_eligible(offering: Offering, household: Household, at: datetime) -> None:
    """Refuse a delivery of a service to a household the offering does not admit."""
    if not covers(offering.areas, household.region_code):
        raise RuleViolation(
            f"household {household.id} lives in {household.region_code}, outside the areas of"
            f" {offering.name!r} ({', '.join(offering.areas)}); it cannot be delivered there"
        )
    profile = HouseholdProfile(
        statuses=tuple(sorted(household.assistance)),
        labels=household_labels(household.members, household.group),
        birth_years=birth_years(household.members),
    )
    year = int(month_of(at)[:4])
    failed = [c for c in eligibility_checks(profile, offering.eligibility, year) if not c.passed]
    if failed:
        reasons = "; ".join(f"{c.rule}: {c.reason}" for c in failed)
        raise RuleViolation(
            f"household {household.id} is not eligible for {offering.name!r} — {reasons}"
        )


class ContractCommands(ReservationKeeper):
    """Purchased services counted in person-times and yuan (人次, 元)."""

    def sign_contract(
        self,
        *,
        provider_id: UUID,
        title: str,
        budget_fen: int,
        funding_source: str,
        items: list[dict[str, Any]],
        by: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Contract a provider for a packaged budget split into items (打包预算、分项实施)."""
        if done := self._already_done(key):
            return done
        provider = self._load(Provider, provider_id)
        if not title.strip():
            raise InvalidValue("title", "a contract needs a title")
        budget = check_fen(budget_fen, "budget")
        contract = Contract(
            id=key.derived_id("contract") if key else uuid4(),
            provider_id=provider.id,
            region_code=provider.region_code,
            title=title.strip(),
            budget_fen=budget,
            funding_source=funding_source.strip(),
            items=check_items(items, budget),
            signed_by=by.strip() or "unknown",
            signed_at=at,
        )
        return self._commit("contract", contract, key=key)

    def record_delivery(
        self,
        *,
        contract_id: UUID,
        item_id: str,
        household_key: str,
        person_times: int,
        cost_fen: int,
        by: str,
        at: datetime,
        note: str = "",
        provider_id: UUID | None = None,
        referral_id: UUID | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Count one service delivery; the item's offering gives up capacity in the same commit.

        The delivering provider must hold the contract (and the item's offering), the household
        must be one the offering admits, and a delivery for a matched referral uses what the
        match reserved instead of taking capacity twice. An authenticated caller records
        deliveries only for the provider the contract names.
        """
        if done := self._already_done(key):
            return done
        contract = self._load(Contract, contract_id, expected_version)
        # A provider's credential records only its own contracts' deliveries; a department
        # system's credential says by its event types whether it records deliveries at all.
        if acting is not None and acting.provider_id not in (None, str(contract.provider_id)):
            raise NotPermitted(
                f"{acting.actor!r} cannot record a delivery on contract {contract.id}: only its"
                f" provider ({contract.provider_id}) may"
            )
        try:
            household = self._load(Household, household_id(household_key))
        except NotFound:
            raise NotFound("household", f"{household_key} (it has no file yet)") from None
        if not by.strip():
            raise InvalidValue("provider", "must name who delivered the service")
        item = contract.item(item_id)
        if provider_id is not None and provider_id != contract.provider_id:
            raise RuleViolation(
                f"provider {provider_id} does not hold item {item_id!r} of contract"
                f" {contract.title!r}: the contract is with provider {contract.provider_id}"
            )
        delivery_id = key.derived_id("delivery") if key else uuid4()
        offering_ref = item["offering_id"]
        others: list[Any] = []
        held = self._delivery_reservation(referral_id, household.id, offering_ref)
        if offering_ref is not None:
            offering = self._load(Offering, UUID(offering_ref))
            if alliance_of(offering.region_code) != alliance_of(contract.region_code):
                raise RuleViolation(
                    f"offering {offering.name!r} belongs to another alliance than the contract"
                )
            if offering.provider_id != contract.provider_id:
                raise RuleViolation(
                    f"item {item_id!r} names offering {offering.name!r} of provider"
                    f" {offering.provider_id}, not of the contract's provider"
                    f" {contract.provider_id}"
                )
            check_eligible(offering, household, at)
            if held is not None:
                # The reserved units come back and the delivery's person-times are taken.
                offering.release(
                    period=held.period, units=held.units, reference=str(held.referral_id), at=at
                )
            offering.use(period=month_of(at), units=person_times, reference=str(delivery_id), at=at)
            others.append(offering)
        if held is not None:
            held.use(used_by="delivery", reference=str(delivery_id), by=by.strip(), at=at)
            others.append(held)
        contract.record_delivery(
            delivery_id=delivery_id,
            item_id=item_id,
            household_id=household.id,
            region_code=household.region_code,
            offering_id=UUID(offering_ref) if offering_ref else None,
            person_times=person_times,
            cost_fen=check_fen(cost_fen, "cost", allow_zero=True),
            note=note,
            by=by.strip(),
            at=at,
        )
        return self._commit("contract", contract, *others, key=key)

    def _delivery_reservation(
        self, referral_id: UUID | None, household: UUID, offering_ref: str | None
    ) -> Reservation | None:
        """The open capacity reservation a delivery for a matched referral uses, checked."""
        if referral_id is None:
            return None
        held = self._open_reservation(referral_id)
        if held is None:
            raise RuleViolation(f"referral {referral_id} holds no open reservation to deliver on")
        if held.kind is not Kind.CAPACITY or str(held.resource_id) != offering_ref:
            raise RuleViolation(
                f"referral {referral_id} reserved {held.describe()}, not this item's offering"
            )
        if held.household_id != household:
            raise RuleViolation(
                f"referral {referral_id} reserved capacity for household {held.household_id},"
                " not this one"
            )
        return held
