"""The one taxonomy shared by needs and services: type × category, and urgency."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import TypeVar

from domain.shared.errors import InvalidValue


class NeedType(StrEnum):
    """The three tiers of need, served by a matching ladder of services."""

    SURVIVAL = "survival"  # 生存型
    CARE = "care"  # 关爱型
    DEVELOPMENT = "development"  # 发展型


class Category(StrEnum):
    """What kind of help a need asks for, or a service gives."""

    LIVING = "living"
    MEDICAL = "medical"
    EDUCATION = "education"
    CARE = "care"
    PSYCHOLOGICAL = "psychological"
    EMPLOYMENT = "employment"
    HOUSING = "housing"
    LEGAL = "legal"
    DISABILITY = "disability"
    EMERGENCY = "emergency"


class Urgency(StrEnum):
    """How soon a need must be met; ordered from most to least urgent."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most urgent."""
        return list(Urgency).index(self)


E = TypeVar("E", bound=Enum)


def parse_enum(kind: type[E], value: object, field: str) -> E:
    """Parse a value into an enum member, naming the allowed values when it is not one."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise InvalidValue(field, f"{value!r} is not one of: {allowed}") from None
