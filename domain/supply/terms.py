"""The published terms of an offering, checked once, shared by publish and update."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.shared.errors import InvalidValue
from domain.shared.money import check_fen
from domain.shared.regions import check_prefix
from domain.shared.taxonomy import Category, NeedType, parse_enum
from domain.supply.vocabulary import Eligibility, Location

UNITS = ("person-times", "households", "hours", "places")


@dataclass(frozen=True)
class OfferingTerms:
    """What an offering gives, where, to whom, how much of it, at what cost, paid by whom."""

    name: str
    description: str
    need_type: NeedType
    category: Category
    areas: tuple[str, ...]
    location: Location | None
    capacity: int | None
    unit: str
    eligibility: Eligibility
    cost_fen: int
    funding_source: str

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> OfferingTerms:
        """Check terms as published by a department or provider."""
        name = str(raw.get("name") or "").strip()
        if not name:
            raise InvalidValue("name", "an offering needs a name")
        areas = tuple(
            sorted(
                {check_prefix(str(a), f"areas[{i}]") for i, a in enumerate(raw.get("areas") or ())}
            )
        )
        if not areas:
            raise InvalidValue("areas", "name at least one region the offering covers")
        capacity = raw.get("capacity")
        if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)):
            raise InvalidValue(
                "capacity", "must be a whole number per month, or absent for no limit"
            )
        if capacity is not None and capacity < 0:
            raise InvalidValue("capacity", "must not be negative")
        unit = str(raw.get("unit") or "person-times")
        if unit not in UNITS:
            raise InvalidValue("unit", f"{unit!r} is not one of: {', '.join(UNITS)}")
        return cls(
            name=name,
            description=str(raw.get("description") or "").strip(),
            need_type=parse_enum(NeedType, raw.get("need_type"), "need_type"),
            category=parse_enum(Category, raw.get("category"), "category"),
            areas=areas,
            location=Location.parse(raw.get("location")),
            capacity=capacity,
            unit=unit,
            eligibility=Eligibility.parse(raw.get("eligibility")),
            cost_fen=check_fen(raw.get("cost_fen", 0), "cost_fen", allow_zero=True),
            funding_source=str(raw.get("funding_source") or "").strip(),
        )

    def as_record(self) -> dict[str, Any]:
        """The terms as event fields."""
        return {
            "name": self.name,
            "description": self.description,
            "need_type": self.need_type.value,
            "category": self.category.value,
            "areas": list(self.areas),
            "location": self.location.as_record() if self.location else None,
            "capacity": self.capacity,
            "unit": self.unit,
            "eligibility": self.eligibility.as_record(),
            "cost_fen": self.cost_fen,
            "funding_source": self.funding_source,
        }
