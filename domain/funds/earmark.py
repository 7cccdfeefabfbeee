"""Earmarks (定向): what a donor or the fund's board restricts money to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain.shared.errors import InvalidValue
from domain.shared.regions import check_prefix
from domain.shared.taxonomy import Category, parse_enum

FREE = ""  # the pool of money no one restricted


@dataclass(frozen=True)
class Earmark:
    """A group (e.g. single_parent, sanitation_workers), a need category, a region, or several."""

    group: str | None = None
    category: Category | None = None
    region: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any] | None, field: str = "earmark") -> Earmark | None:
        """Check an earmark as published; None when the money is free."""
        if not raw:
            return None
        group = str(raw.get("group") or "").strip() or None
        category = raw.get("category")
        region = raw.get("region")
        earmark = cls(
            group=group,
            category=None
            if category is None
            else parse_enum(Category, category, f"{field}.category"),
            region=None if region is None else check_prefix(str(region), f"{field}.region"),
        )
        if earmark.key == FREE:
            raise InvalidValue(field, "name a group, a category or a region, or leave it out")
        return earmark

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> Earmark | None:
        """The earmark an event stored."""
        return cls.parse(record) if record else None

    @property
    def key(self) -> str:
        """A stable name of the pool this earmark's money sits in."""
        parts = (self.group or "", self.category.value if self.category else "", self.region or "")
        return "" if not any(parts) else "|".join(parts)

    def matches(self, labels: Iterable[str], category: str, region_code: str) -> bool:
        """Whether money so restricted may go to this household's need."""
        return (
            (self.group is None or self.group in set(labels))
            and (self.category is None or self.category.value == category)
            and (self.region is None or region_code.startswith(self.region))
        )

    def describe(self) -> str:
        """The earmark for a person to read."""
        parts = [
            f"group {self.group}" if self.group else "",
            f"category {self.category.value}" if self.category else "",
            f"region {self.region}" if self.region else "",
        ]
        return ", ".join(p for p in parts if p)

    def as_record(self) -> dict[str, Any]:
        """The earmark as stored in an event."""
        return {
            "group": self.group,
            "category": self.category.value if self.category else None,
            "region": self.region,
        }


def key_of(earmark: Earmark | None) -> str:
    """The pool key of an earmark, FREE for none."""
    return earmark.key if earmark else FREE


def describe_pool(earmark: Earmark | None) -> str:
    """'free money' or 'money earmarked for …'."""
    return f"money earmarked for {earmark.describe()}" if earmark else "free (unearmarked) money"
