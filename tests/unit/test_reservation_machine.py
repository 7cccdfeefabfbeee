"""Reservations under random orders of reserve, use, release, expire, refuse, reassign, close.

Whatever the order: reserved capacity and money never leak (an open reservation always belongs
to a referral that still holds its need), never go negative or beyond capacity, and the fund's
columns always reconcile: received = free + earmarked + reserved + disbursed.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from domain.funds.model import Fund
from domain.matching.policy import Policy
from domain.needs.model import Need, NeedStatus
from domain.referrals.model import Referral
from domain.referrals.status import ReferralStatus
from domain.reservations.model import Kind, Reservation, State
from domain.shared.errors import DomainError
from domain.shared.months import month_of
from domain.supply.model import Offering
from tests.builders import NOW
from tests.unit.reservation_world import World, world

CAPACITY, FUND_FEN = 4, 1_000_000
DAYS = Policy().reservation_days


class Reservations(RuleBasedStateMachine):
    """The alliance against a model of what each referral holds."""

    needs = Bundle("needs")
    referrals = Bundle("referrals")

    def __init__(self) -> None:
        super().__init__()
        self.w: World = world(capacity=CAPACITY, fund_yuan=FUND_FEN // 100)
        self.now = NOW
        self.households = 0
        self.delivered = 0  # person-times delivered on reservations
        self.disbursed = 0  # fen paid on reservations
        self.keys: dict[UUID, str] = {}  # need → its household's key

    # --- helpers ----------------------------------------------------------------------

    def load(self, ident: UUID) -> object:
        return self.w.app.repository.get(ident)

    def referral(self, ident: UUID) -> Referral:
        found = self.load(ident)
        assert isinstance(found, Referral)
        return found

    def held(self, referral_id: UUID) -> Reservation:
        return self.w.reservation(referral_id)

    def reservations(self) -> list[Reservation]:
        return [self.held(r) for r in self.made]

    @property
    def made(self) -> list[UUID]:
        return self.__dict__.setdefault("_made", [])

    # --- rules ------------------------------------------------------------------------

    @rule(target=needs)
    def raise_a_need(self) -> UUID:
        self.households += 1
        key = self.w.household(f"3301061980010{self.households:05d}")
        need = self.w.need(key)
        self.keys[need] = key
        return need

    @rule(target=referrals, need=needs, units=st.integers(1, 3))
    def reserve_capacity(self, need: UUID, units: int) -> object:
        left = self.load(self.w.offering).remaining(month_of(self.now))  # type: ignore[attr-defined]
        open_need = self.load(need).status is NeedStatus.OPEN  # type: ignore[attr-defined]
        try:
            referral = self.w.accept(need, self.w.offering, at=self.now, units=units)
        except DomainError:
            assert not open_need or units > left
            return multiple()
        assert open_need and units <= left
        self.made.append(referral)
        return referral

    @rule(target=referrals, need=needs, yuan=st.integers(100, 6_000))
    def reserve_money(self, need: UUID, yuan: int) -> object:
        try:
            referral = self.w.accept(need, self.w.fund, at=self.now, amount_fen=yuan * 100)
        except DomainError:
            return multiple()
        self.made.append(referral)
        return referral

    def _holder_acts(self, referral: UUID, act: str) -> None:
        holder = self.referral(referral).holder
        app, now = self.w.app, self.now
        try:
            if act == "refuse":
                app.refuse_referral(referral_id=referral, by=holder, at=now, reason="no room")
            elif act == "complete":
                app.accept_referral(referral_id=referral, by=holder, at=now)
                app.give_feedback(referral_id=referral, by=holder, at=now, content="seen")
                app.complete_referral(referral_id=referral, by=holder, at=now, outcome="met")
        except DomainError:
            return

    @rule(referral=referrals)
    def refuse(self, referral: UUID) -> None:
        self._holder_acts(referral, "refuse")

    @rule(referral=referrals)
    def complete(self, referral: UUID) -> None:
        self._holder_acts(referral, "complete")

    @rule(referral=referrals)
    def reassign(self, referral: UUID) -> None:
        with suppress(DomainError):  # not every referral can be reassigned in every state
            self.w.app.reassign_referral(
                referral_id=referral, by="town", to_department="health", at=self.now, reason="x"
            )

    @rule(referral=referrals, person_times=st.integers(1, 2))
    def deliver(self, referral: UUID, person_times: int) -> None:
        held = self.held(referral)
        month = month_of(self.now)
        left = self.load(self.w.offering).remaining(month)  # type: ignore[attr-defined]
        back = held.units if held.period == month else 0
        try:
            self.w.deliver(
                self.keys[held.need_id],
                at=self.now,
                referral_id=referral,
                person_times=person_times,
            )
        except DomainError:  # ended, money, or beyond the month's capacity
            assert not held.is_open or held.kind is Kind.MONEY or person_times > left + back
            return
        self.delivered += person_times

    @rule(referral=referrals)
    def disburse(self, referral: UUID) -> None:
        held = self.held(referral)
        try:
            self.w.app.disburse_money(
                fund_id=self.w.fund, allocation_id=referral, reference="t", by="c", at=self.now
            )
        except DomainError:
            assert not held.is_open or held.kind is Kind.CAPACITY
            return
        assert held.is_open and held.kind is Kind.MONEY
        self.disbursed += held.amount_fen

    @rule(referral=referrals)
    def release(self, referral: UUID) -> None:
        was_open = self.held(referral).is_open
        try:
            self.w.app.release_reservation(
                referral_id=referral, reason="family moved", by="town", at=self.now
            )
        except DomainError:
            assert not was_open
            return
        assert was_open

    @rule(days=st.integers(1, DAYS + 5))
    def time_passes_and_the_clock_sweeps(self, days: int) -> None:
        self.now += timedelta(days=days)
        for held in self.reservations():
            due = held.is_open and held.expires_at <= self.now
            assert self.w.app.expire_reservation(reservation=held.id, now=self.now) is due

    @rule(need=needs)
    def close_the_need(self, need: UUID) -> None:
        with suppress(DomainError):  # only an open need can be closed
            self.w.app.close_need(need_id=need, by="ca", reason="moved away", at=self.now)

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def an_open_reservation_belongs_to_a_referral_still_holding_its_need(self) -> None:
        for held in self.reservations():
            if not held.is_open:
                continue
            need = self.load(held.need_id)
            assert isinstance(need, Need)
            assert need.status is NeedStatus.REFERRED and need.referral_id == held.referral_id
            status = self.referral(held.referral_id).status
            assert status not in {ReferralStatus.REFUSED, ReferralStatus.COMPLETED}

    @invariant()
    def capacity_held_is_exactly_the_open_reservations_and_deliveries(self) -> None:
        offering = self.load(self.w.offering)
        assert isinstance(offering, Offering)
        for used in offering.used.values():
            assert 0 <= used <= CAPACITY
        open_units = sum(
            h.units for h in self.reservations() if h.is_open and h.kind is Kind.CAPACITY
        )
        assert sum(offering.used.values()) == open_units + self.delivered

    @invariant()
    def the_funds_columns_reconcile_and_reserved_money_is_the_open_reservations(self) -> None:
        fund = self.load(self.w.fund)
        assert isinstance(fund, Fund)
        reserved = sum(
            a["amount_fen"] for a in fund.allocations.values() if a["status"] == "allocated"
        )
        disbursed = sum(
            a["amount_fen"] for a in fund.allocations.values() if a["status"] == "disbursed"
        )
        assert all(v >= 0 for pool in fund.pools.values() for v in pool.values())
        assert fund.available_total() + reserved + disbursed == FUND_FEN
        assert disbursed == self.disbursed
        assert reserved == sum(
            h.amount_fen for h in self.reservations() if h.is_open and h.kind is Kind.MONEY
        )

    @invariant()
    def every_ended_reservation_ended_exactly_once(self) -> None:
        for held in self.reservations():
            ends = [
                e
                for e in self.w.app.repository.event_store.get(held.id)
                if isinstance(e, Reservation.Used | Reservation.Released | Reservation.Expired)
            ]
            assert len(ends) == (0 if held.state is State.OPEN else 1)


Reservations.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestReservationsNeverLeak = Reservations.TestCase
