"""Providers and their service offerings: the services list (服务清单) and its capacity."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, RuleViolation


class Provider(Aggregate):
    """A department, purchased social-work provider, social organisation or volunteer team."""

    class Registered(Aggregate.Created):
        name: str
        kind: str
        region_code: str
        description: str
        registered_by: str
        registered_at: datetime

    @event(Registered)
    def __init__(
        self,
        *,
        id: UUID,
        name: str,
        kind: str,
        region_code: str,
        description: str,
        registered_by: str,
        registered_at: datetime,
    ) -> None:
        self.name = name
        self.kind = kind
        self.region_code = region_code


class Offering(Aggregate):
    """One service a provider offers: typed, located, limited in capacity per month."""

    class Published(Aggregate.Created):
        provider_id: UUID
        region_code: str
        name: str
        description: str
        need_type: str
        category: str
        areas: list[str]
        location: dict[str, Any] | None
        capacity: int | None
        unit: str
        eligibility: dict[str, Any]
        cost_fen: int
        funding_source: str
        published_by: str
        published_at: datetime

    class Updated(Aggregate.Event):
        name: str
        description: str
        need_type: str
        category: str
        areas: list[str]
        location: dict[str, Any] | None
        capacity: int | None
        unit: str
        eligibility: dict[str, Any]
        cost_fen: int
        funding_source: str
        updated_by: str
        updated_at: datetime

    class Closed(Aggregate.Event):
        by: str
        reason: str
        closed_at: datetime

    class CapacityUsed(Aggregate.Event):
        period: str
        units: int
        reference: str
        used_at: datetime

    class CapacityReleased(Aggregate.Event):
        period: str
        units: int
        reference: str
        released_at: datetime

    @event(Published)
    def __init__(
        self,
        *,
        id: UUID,
        provider_id: UUID,
        region_code: str,
        name: str,
        description: str,
        need_type: str,
        category: str,
        areas: list[str],
        location: dict[str, Any] | None,
        capacity: int | None,
        unit: str,
        eligibility: dict[str, Any],
        cost_fen: int,
        funding_source: str,
        published_by: str,
        published_at: datetime,
    ) -> None:
        self.provider_id = provider_id
        self.region_code = region_code
        self.closed = False
        self.used: dict[str, int] = {}
        self.name = name
        self.category = category
        self.capacity = capacity
        self._keep_terms(need_type, areas, eligibility, location)

    def _keep_terms(
        self,
        need_type: str,
        areas: list[str],
        eligibility: dict[str, Any],
        location: dict[str, Any] | None,
    ) -> None:
        # The matching engine re-checks a chosen candidate against these when it is accepted.
        self.need_type = need_type
        self.areas = tuple(areas)
        self.eligibility = eligibility
        self.location = location

    def remaining(self, period: str) -> int | None:
        """Units still free in a period (a month, 'YYYY-MM'); None when capacity is unlimited."""
        if self.capacity is None:
            return None
        return self.capacity - self.used.get(period, 0)

    def _require_open(self, action: str) -> None:
        if self.closed:
            raise RuleViolation(f"offering {self.name!r} ({self.id}) is closed; cannot {action}")

    def update(self, *, by: str, at: datetime, terms: dict[str, Any]) -> None:
        """Replace the published terms of an open offering."""
        self._require_open("update it")
        self._update(updated_by=by, updated_at=at, **terms)

    @event(Updated)
    def _update(
        self,
        name: str,
        description: str,
        need_type: str,
        category: str,
        areas: list[str],
        location: dict[str, Any] | None,
        capacity: int | None,
        unit: str,
        eligibility: dict[str, Any],
        cost_fen: int,
        funding_source: str,
        updated_by: str,
        updated_at: datetime,
    ) -> None:
        self.name = name
        self.category = category
        self.capacity = capacity
        self._keep_terms(need_type, areas, eligibility, location)

    def close(self, *, by: str, reason: str, at: datetime) -> None:
        """Stop offering the service, with the reason."""
        self._require_open("close it again")
        if not reason.strip():
            raise InvalidValue("reason", "closing an offering needs a reason")
        self._close(by=by, reason=reason.strip(), closed_at=at)

    @event(Closed)
    def _close(self, by: str, reason: str, closed_at: datetime) -> None:
        self.closed = True

    def use(self, *, period: str, units: int, reference: str, at: datetime) -> None:
        """Take units of capacity in a period; refused beyond what is left."""
        self._require_open("use its capacity")
        if units < 1:
            raise InvalidValue("person_times", "must be at least 1")
        left = self.remaining(period)
        if left is not None and units > left:
            raise RuleViolation(
                f"offering {self.name!r} has {left} of {self.capacity} {period} capacity left;"
                f" {units} requested"
            )
        self._use(period=period, units=units, reference=reference, used_at=at)

    @event(CapacityUsed)
    def _use(self, period: str, units: int, reference: str, used_at: datetime) -> None:
        self.used[period] = self.used.get(period, 0) + units

    def release(self, *, period: str, units: int, reference: str, at: datetime) -> None:
        """Give back units taken earlier (e.g. a referral that was refused)."""
        if not 1 <= units <= self.used.get(period, 0):
            raise RuleViolation(
                f"offering {self.name!r} has {self.used.get(period, 0)} units used in {period};"
                f" cannot release {units}"
            )
        self._release(period=period, units=units, reference=reference, released_at=at)

    @event(CapacityReleased)
    def _release(self, period: str, units: int, reference: str, released_at: datetime) -> None:
        self.used[period] -= units
