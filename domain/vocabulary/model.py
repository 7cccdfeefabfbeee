"""An alliance's vocabulary: the values its files may use, versioned by adoption."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.households.vocabulary import Channel
from domain.ids import uuid5
from domain.shared.errors import InvalidValue
from domain.shared.taxonomy import Category

_NAMESPACE = UUID("5d0b7f62-91a4-4c3e-8e21-7b6a0c9d4f18")
CODE_LENGTH = 40


@dataclass(frozen=True)
class Term:
    """A code the files store and the name people read."""

    code: str
    name: str

    def as_record(self) -> dict[str, str]:
        """The term as stored in an event."""
        return {"code": self.code, "name": self.name}


def terms(raw: Iterable[dict[str, Any]], field: str) -> tuple[Term, ...]:
    """Check a list of terms: codes distinct and non-empty, every term named."""
    out: list[Term] = []
    for i, item in enumerate(raw):
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        if not code or not name:
            raise InvalidValue(f"{field}[{i}]", "a term needs a code and a name")
        if any(t.code == code for t in out):
            raise InvalidValue(f"{field}[{i}].code", f"{code!r} is listed twice")
        out.append(Term(code, name))
    return tuple(out)


def vocabulary_id(alliance: str) -> UUID:
    """One vocabulary per alliance (county code)."""
    return uuid5(_NAMESPACE, alliance)


class Vocabulary(Aggregate):
    """The circles, groups, categories and channels an alliance's files may use."""

    class Adopted(Aggregate.Event):
        alliance: str
        circles: list[dict[str, str]]
        groups: list[dict[str, str]]
        categories: list[str]
        channels: list[str]
        actor: str
        reason: str
        adopted_at: datetime

    class Created(Aggregate.Created):
        region_code: str

    @staticmethod
    def create_id(region_code: str, **_: Any) -> UUID:
        """The alliance names its vocabulary."""
        return vocabulary_id(region_code)

    @event(Created)
    def __init__(self, *, region_code: str) -> None:
        self.region_code = region_code
        self.circles: tuple[Term, ...] = ()
        self.groups: tuple[Term, ...] = ()
        self.categories: tuple[str, ...] = tuple(c.value for c in Category)
        self.channels: tuple[str, ...] = tuple(c.value for c in Channel)
        self.edition = 0

    def adopt(
        self,
        *,
        circles: tuple[Term, ...],
        groups: tuple[Term, ...],
        categories: tuple[Category, ...],
        channels: tuple[Channel, ...],
        actor: str,
        reason: str,
        at: datetime,
    ) -> None:
        """A new edition of the alliance's words; files keep the codes they already hold."""
        if not circles or not groups:
            raise InvalidValue("circles", "name the alliance's circles and groups")
        if not categories or not channels:
            raise InvalidValue("categories", "keep at least one category and one channel")
        if not reason.strip():
            raise InvalidValue("reason", "say why the vocabulary changes")
        self._adopt(
            alliance=self.region_code,
            circles=[t.as_record() for t in circles],
            groups=[t.as_record() for t in groups],
            categories=[c.value for c in categories],
            channels=[c.value for c in channels],
            actor=actor,
            reason=reason.strip(),
            adopted_at=at,
        )

    @event(Adopted)
    def _adopt(
        self,
        alliance: str,
        circles: list[dict[str, str]],
        groups: list[dict[str, str]],
        categories: list[str],
        channels: list[str],
        actor: str,
        reason: str,
        adopted_at: datetime,
    ) -> None:
        self.circles = tuple(Term(**t) for t in circles)
        self.groups = tuple(Term(**t) for t in groups)
        self.categories = tuple(categories)
        self.channels = tuple(channels)
        self.edition += 1

    def check(self, field: str, value: str, allowed: Iterable[str]) -> str:
        """The value if the adopted vocabulary has it, else a refusal naming what is allowed."""
        words = list(allowed)
        if value not in words:
            raise InvalidValue(
                field,
                f"{value!r} is not in alliance {self.region_code}'s vocabulary "
                f"(edition {self.edition}); allowed: {', '.join(words)}",
            )
        return value

    def check_circle(self, circle: int) -> None:
        """Refuse a difficulty circle the alliance has not adopted."""
        if self.circles:
            self.check("difficulty_circle", str(circle), (t.code for t in self.circles))

    def check_group(self, group: str) -> None:
        """Refuse a group the alliance has not adopted."""
        if self.groups:
            self.check("group", group, (t.code for t in self.groups))
