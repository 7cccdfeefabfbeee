"""Keeping reservations: made by a match, ended once by use, release or expiry."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.ingest.model import EventKey, Outcome
from domain.reservations.model import Cause, Hold, Kind, Reservation, reservation_id
from domain.shared.acting import Acting, require_one_of
from domain.shared.commands import CommandHandler
from domain.shared.errors import NotFound, RuleViolation
from domain.shared.names import required


class Capacity(Protocol):
    """An offering as a reservation sees it (domain.supply's Offering)."""

    def release(self, *, period: str, units: int, reference: str, at: datetime) -> None: ...


class Money(Protocol):
    """A fund as a reservation sees it (domain.funds' Fund)."""

    def cancel(self, *, allocation_id: UUID, reason: str, by: str, at: datetime) -> None: ...


class ReservationKeeper(CommandHandler):
    """What every command that can end a reservation shares."""

    def _reserve(
        self,
        hold: Hold,
        *,
        referral_id: UUID,
        need_id: UUID,
        household_id: UUID,
        region_code: str,
        holder: str,
        by: str,
        at: datetime,
        until: datetime,
    ) -> Reservation:
        """The reservation a match makes for its referral, to commit with it."""
        return Reservation(
            referral_id=referral_id,
            need_id=need_id,
            household_id=household_id,
            region_code=region_code,
            kind=hold.kind.value,
            resource_id=hold.resource_id,
            provider_id=hold.provider_id,
            holder=holder,
            period=hold.period,
            units=hold.units,
            amount_fen=hold.amount_fen,
            made_by=by,
            made_at=at,
            expires_at=until,
        )

    def _open_reservation(self, referral_id: UUID | None) -> Reservation | None:
        """The reservation a referral still holds, if any."""
        if referral_id is None:
            return None
        ident = reservation_id(referral_id)
        if not self._exists(ident):
            return None
        found = self._load(Reservation, ident)
        return found if found.is_open else None

    def _give_back(self, reservation: Reservation, reason: str, by: str, at: datetime) -> Any:
        """Return what a reservation holds to its offering or fund; the changed record."""
        # Loaded by id, not by class: offerings and funds import this package, not the reverse.
        resource = self._load(Aggregate, reservation.resource_id)
        if reservation.kind is Kind.CAPACITY:
            cast(Capacity, resource).release(
                period=reservation.period,
                units=reservation.units,
                reference=str(reservation.referral_id),
                at=at,
            )
        else:
            cast(Money, resource).cancel(
                allocation_id=reservation.referral_id, reason=reason, by=by, at=at
            )
        return resource

    def _release_held(
        self, referral_id: UUID | None, *, cause: Cause, reason: str, by: str, at: datetime
    ) -> list[Any]:
        """Release what a referral holds (nothing when it holds nothing); the changed records."""
        reservation = self._open_reservation(referral_id)
        if reservation is None:
            return []
        reason = reason.strip() or cause.value.replace("_", " ")
        resource = self._give_back(reservation, f"reservation released: {reason}", by, at)
        reservation.release(cause=cause, reason=reason, by=by, at=at)
        return [reservation, resource]

    def release_reservation(
        self,
        *,
        referral_id: UUID,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """A coordinator of the region (or the referral's holder) ends a referral's reservation
        unused; it goes back to offering or fund."""
        if done := self._already_done(key):
            return done
        ident = reservation_id(referral_id)
        if not self._exists(ident):
            raise NotFound("reservation", f"of referral {referral_id} (it reserved nothing)")
        reservation = self._load(Reservation, ident, expected_version)
        require_one_of(
            acting,
            action="release the reservation of",
            record=f"referral {referral_id}",
            parties=(getattr(reservation, "holder", ""),),  # older snapshots kept none
            region_code=reservation.region_code,
        )
        if not reservation.is_open:
            raise RuleViolation(
                f"the reservation of referral {referral_id} is already {reservation.state.value}"
            )
        reason = required(reason, "reason", "say why the reservation is released")
        by = required(by, "actor", "must name the coordinator's department")
        resource = self._give_back(reservation, f"reservation released: {reason}", by, at)
        reservation.release(cause=Cause.COORDINATOR, reason=reason, by=by, at=at)
        return self._commit("reservation", reservation, resource, key=key)

    def expire_reservation(self, *, reservation: UUID, now: datetime) -> bool:
        """The clock's write: end a reservation whose time ran out, once, returning what it held.

        Of two clocks racing, one commits and the other finds it expired (its commit conflicts
        on the reservation's version and it reloads).
        """
        found = self._load(Reservation, reservation)
        if not found.is_open or now < found.expires_at:
            return False
        resource = self._give_back(
            found, f"reservation expired: unused by {found.expires_at.isoformat()}", "clock", now
        )
        found.expire(now=now)
        self._commit("reservation", found, resource, key=None)
        return True
