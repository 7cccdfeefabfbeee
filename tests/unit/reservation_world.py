"""A small alliance for the reservation tests: households, an offering, a fund, a contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.alliance import Alliance
from domain.funds.application import DonorKind
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Assistance, Channel, Member
from domain.reservations.model import Reservation, reservation_id
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind
from tests.builders import NOW, VILLAGE


def new_alliance() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@dataclass
class World:
    """One provider with one offering under contract, one fund, and helpers to act on them."""

    app: Alliance
    provider: UUID
    offering: UUID
    fund: UUID
    contract: UUID
    other_provider: UUID

    def household(self, number: str, *, dibao: bool = True) -> str:
        key = pseudonymise(number, "s")
        self.app.report_discovery(
            household_key=key,
            region_code=VILLAGE,
            channel=Channel.GRID_WORKER,
            reported_by="gw",
            at=NOW,
            members=[Member("head", 1944, ())],
        )
        # The household agreed to share its file within the alliance (matches refer it on).
        self.app.give_consent(
            household_key=key,
            recipient="alliance",
            purpose="matching and referral",
            document="consent-form",
            by="gw",
            at=NOW,
        )
        if dibao:
            self.app.grant_assistance(household_key=key, status=Assistance.DIBAO, by="ca", at=NOW)
        return key

    def need(self, key: str) -> UUID:
        return self.app.raise_need(
            household_key=key,
            need_type=NeedType.CARE,
            category=Category.CARE,
            urgency=Urgency.HIGH,
            description="Home care after discharge",
            raised_by="ca",
            at=NOW,
        ).aggregate_id

    def accept(self, need_id: UUID, candidate: UUID, at: datetime = NOW, **extra: Any) -> UUID:
        return self.app.accept_candidate(
            need_id=need_id, candidate_id=candidate, by="town-coordinator", at=at, **extra
        ).aggregate_id

    def reservation(self, referral_id: UUID) -> Reservation:
        found = self.app.repository.get(reservation_id(referral_id))
        assert isinstance(found, Reservation)
        return found

    def left(self, month: str = f"{NOW:%Y-%m}") -> int | None:
        return self.app.repository.get(self.offering).remaining(month)

    def deliver(self, key: str, at: datetime = NOW, **extra: Any) -> Any:
        return self.app.record_delivery(
            contract_id=self.contract,
            item_id="home-care",
            household_key=key,
            person_times=extra.pop("person_times", 1),
            cost_fen=3000,
            by="xinyuan-social-work",
            at=at,
            **extra,
        )


def world(capacity: int = 5, fund_yuan: int = 10_000) -> World:
    app = new_alliance()

    def provider(name: str) -> UUID:
        return app.register_provider(
            name=name,
            kind=ProviderKind.SOCIAL_WORK_PROVIDER,
            region_code="330106",
            description="",
            by="ca",
            at=NOW,
        ).aggregate_id

    xinyuan, other = provider("Xinyuan social work"), provider("Another provider")
    terms = {
        "name": "Home nursing",
        "need_type": "care",
        "category": "care",
        "areas": ["330106002"],
        "capacity": capacity,
        "eligibility": {"statuses": ["dibao"]},
    }
    offering = app.publish_offering(
        provider_id=xinyuan, terms=OfferingTerms.parse(terms), by="ca", at=NOW
    ).aggregate_id
    fund = app.open_fund(
        name="Xihu charity fund", region_code="330106", managed_by="charity", description="", at=NOW
    ).aggregate_id
    app.receive_donation(
        fund_id=fund,
        donor="Lvcheng",
        donor_kind=DonorKind.COMPANY,
        amount_fen=fund_yuan * 100,
        earmark=None,
        by="charity",
        at=NOW,
    )
    contract = app.sign_contract(
        provider_id=xinyuan,
        title="Purchased home care",
        budget_fen=10_000_000,
        funding_source="district",
        items=[
            {
                "item_id": "home-care",
                "need_type": "care",
                "category": "care",
                "offering_id": str(offering),
                "budget_fen": 10_000_000,
            }
        ],
        by="ca",
        at=NOW,
    ).aggregate_id
    return World(app, xinyuan, offering, fund, contract, other)
