"""The plain facts the matching rules judge: a need with its household, an offering, a fund."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.households.labels import birth_years, has_disability, household_labels
from domain.households.place import CELL_DECIMALS
from domain.shared.taxonomy import Urgency

__all__ = [
    "FundFacts",
    "NeedFacts",
    "OfferingFacts",
    "PolicyFacts",
    "Pool",
    "birth_years",
    "coordinates_of",
    "household_labels",
]


def coordinates_of(place: dict[str, Any] | None) -> tuple[float, float] | None:
    """A recorded place's cell as (latitude, longitude), or None: distances are judged from
    the cell (two decimals), also for places recorded before the point was sealed."""
    if not place:
        return None
    return (
        round(float(place["latitude"]), CELL_DECIMALS),
        round(float(place["longitude"]), CELL_DECIMALS),
    )


@dataclass(frozen=True)
class NeedFacts:
    """An open need and what its household's file says."""

    need_id: str
    region_code: str
    need_type: str
    category: str
    urgency: str
    raised_at: datetime
    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # the assessed group and every member's circumstances
    birth_years: tuple[int, ...] = ()
    circle: int | None = None
    coordinates: tuple[float, float] | None = None  # the household's recorded place, if any
    description: str = ""  # the need in words: a policy may be asked for by name
    policy: str = ""  # the code of a listed policy the household applies for

    @property
    def disabled(self) -> bool:
        """Whether a member has a disability."""
        return has_disability(self.labels)

    @property
    def urgency_rank(self) -> int:
        """0 for the most urgent."""
        return Urgency(self.urgency).rank


@dataclass(frozen=True)
class OfferingFacts:
    """An offering as published, with what is used of its capacity this month."""

    offering_id: str
    provider_id: str
    name: str
    need_type: str
    category: str
    areas: tuple[str, ...]
    eligibility: dict[str, Any]
    capacity: int | None
    used: int = 0
    location: dict[str, Any] | None = None
    open: bool = True

    @property
    def remaining(self) -> int | None:
        """Units left this month; None when unlimited."""
        return None if self.capacity is None else self.capacity - self.used


@dataclass(frozen=True)
class PolicyFacts:
    """A policy of the alliance's list as the rules see it."""

    policy_id: str
    code: str
    name: str
    department: str
    need_type: str
    categories: tuple[str, ...]
    eligibility: dict[str, Any]
    not_holding: tuple[str, ...] = ()
    grants: str | None = None
    keywords: tuple[str, ...] = ()
    open: bool = True


@dataclass(frozen=True)
class Pool:
    """Money available in one pool of a fund; no earmark is the free pool."""

    earmark: dict[str, Any] | None
    available_fen: int


@dataclass(frozen=True)
class FundFacts:
    """A charity fund's region and the money in each of its pools."""

    fund_id: str
    name: str
    region_code: str
    pools: tuple[Pool, ...] = field(default=())
