"""The policy list (政策清单): each assistance policy, its eligibility rule and its department.

A listed policy is a candidate like an offering: a need whose category it answers (exactly or by
the ladder) and whose household its rule admits can be referred to the policy's department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.households.vocabulary import Assistance
from domain.shared.errors import InvalidValue, RuleViolation
from domain.shared.regions import alliance_of
from domain.shared.taxonomy import Category, NeedType, parse_enum
from domain.supply.vocabulary import Eligibility

_NAMESPACE = UUID("3b0e8c55-6f0a-4d7e-9a51-2c4f7d8e1b60")


def policy_entry_id(alliance: str, code: str) -> UUID:
    """One entry per policy code in an alliance's list."""
    return uuid5(_NAMESPACE, f"{alliance_of(alliance)}\x1f{code}")


def _text(raw: Any, field: str, limit: int) -> str:
    value = str(raw or "").strip()
    if not value:
        raise InvalidValue(field, "must not be empty")
    if len(value) > limit:
        raise InvalidValue(field, f"at most {limit} characters")
    return value


@dataclass(frozen=True)
class PolicyTerms:
    """What a policy gives, to whom (its rule), through which department, asked for how."""

    name: str
    department: str
    need_type: NeedType
    categories: tuple[Category, ...]
    eligibility: Eligibility
    not_holding: tuple[Assistance, ...]  # a household holding one of these is not admitted
    grants: Assistance | None  # the status the policy certifies, when it certifies one
    keywords: tuple[str, ...]  # words of a need's description that ask for it by name
    description: str = ""

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> PolicyTerms:
        """Check a policy as listed."""
        categories = tuple(
            sorted(
                {
                    parse_enum(Category, c, f"categories[{i}]")
                    for i, c in enumerate(raw.get("categories") or ())
                }
            )
        )
        if not categories:
            raise InvalidValue("categories", "name at least one category of need it answers")
        keywords = tuple(
            sorted({str(k).strip() for k in raw.get("keywords") or () if str(k).strip()})
        )
        grants = raw.get("grants")
        return cls(
            name=_text(raw.get("name"), "name", 200),
            department=_text(raw.get("department"), "department", 100),
            need_type=parse_enum(NeedType, raw.get("need_type"), "need_type"),
            categories=categories,
            eligibility=Eligibility.parse(raw.get("eligibility")),
            not_holding=tuple(
                sorted(
                    {
                        parse_enum(Assistance, s, f"not_holding[{i}]")
                        for i, s in enumerate(raw.get("not_holding") or ())
                    }
                )
            ),
            grants=None if grants is None else parse_enum(Assistance, grants, "grants"),
            keywords=keywords,
            description=str(raw.get("description") or "").strip(),
        )

    def as_record(self) -> dict[str, Any]:
        """The terms as stored in an event."""
        return {
            "name": self.name,
            "department": self.department,
            "need_type": self.need_type.value,
            "categories": [c.value for c in self.categories],
            "eligibility": self.eligibility.as_record(),
            "not_holding": [s.value for s in self.not_holding],
            "grants": None if self.grants is None else self.grants.value,
            "keywords": list(self.keywords),
            "description": self.description,
        }


class PolicyEntry(Aggregate):
    """One policy of an alliance's list; every change is a new version, withdrawal included."""

    class Listed(Aggregate.Created):
        region_code: str
        code: str
        terms: dict[str, Any]
        by: str
        listed_at: datetime

    class Revised(Aggregate.Event):
        terms: dict[str, Any]
        by: str
        revised_at: datetime

    class Withdrawn(Aggregate.Event):
        reason: str
        by: str
        withdrawn_at: datetime

    @staticmethod
    def create_id(region_code: str, code: str, **_: Any) -> UUID:
        """The alliance and the policy's code name the entry."""
        return policy_entry_id(region_code, code)

    @event(Listed)
    def __init__(
        self, *, region_code: str, code: str, terms: dict[str, Any], by: str, listed_at: datetime
    ) -> None:
        self.region_code = region_code
        self.code = code
        self.terms = terms
        self.withdrawn = False

    def revise(self, *, terms: PolicyTerms, by: str, at: datetime) -> None:
        """Change the policy's terms (a withdrawn policy listed again is back in force)."""
        self._revise(terms=terms.as_record(), by=by, revised_at=at)

    @event(Revised)
    def _revise(self, terms: dict[str, Any], by: str, revised_at: datetime) -> None:
        self.terms = terms
        self.withdrawn = False

    def withdraw(self, *, reason: str, by: str, at: datetime) -> None:
        """Take the policy off the list, with the reason."""
        if self.withdrawn:
            raise RuleViolation(f"policy {self.code} is already withdrawn")
        if not reason.strip():
            raise InvalidValue("reason", "say why")
        self._withdraw(reason=reason.strip(), by=by, withdrawn_at=at)

    @event(Withdrawn)
    def _withdraw(self, reason: str, by: str, withdrawn_at: datetime) -> None:
        self.withdrawn = True
