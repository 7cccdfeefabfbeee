"""Words of the household file: channels, circumstances, assistance statuses, members."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.shared.errors import InvalidValue
from domain.shared.taxonomy import parse_enum


class Channel(StrEnum):
    """How a household came to the alliance's attention (主动发现)."""

    SELF_APPLICATION = "self_application"
    GRID_WORKER = "grid_worker"
    HOTLINE_12345 = "hotline_12345"
    DATA_COMPARISON = "data_comparison"
    NEIGHBOUR = "neighbour"
    CADRE_CHECK = "cadre_check"
    DEPARTMENT = "department"


class Circumstance(StrEnum):
    """Circumstances of a member that make a household vulnerable."""

    DISABILITY = "disability"
    SEVERE_ILLNESS = "severe_illness"
    CHRONIC_ILLNESS = "chronic_illness"
    ELDERLY_ALONE = "elderly_alone"
    CHILD_IN_SCHOOL = "child_in_school"
    ORPHAN = "orphan"
    UNATTENDED_CHILD = "unattended_child"
    UNEMPLOYED_LONG_TERM = "unemployed_long_term"
    SINGLE_PARENT = "single_parent"
    ACCIDENT_OR_DISASTER = "accident_or_disaster"


class Assistance(StrEnum):
    """Assistance statuses a household can hold."""

    DIBAO = "dibao"  # 低保
    DIBIAN = "dibian"  # 低边
    TEKUN = "tekun"  # 特困
    TEMPORARY = "temporary"  # 临时救助
    MEDICAL = "medical"  # 医疗救助
    SPECIAL = "special"  # 专项救助
    DISABILITY_SUBSIDIES = "disability_subsidies"  # 残疾人两项补贴
    MONITORING = "monitoring"  # 防返贫监测


# Statuses a household holds from a start to an end; temporary assistance is a one-off grant.
HELD_STATUSES = tuple(s for s in Assistance if s is not Assistance.TEMPORARY)


@dataclass(frozen=True)
class Member:
    """A household member, without name or ID number."""

    relation: str
    birth_year: int | None
    circumstances: tuple[Circumstance, ...]
    disability_grade: int | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any], field: str) -> Member:
        """Check one member as published by a department."""
        relation = raw.get("relation")
        if not isinstance(relation, str) or not relation.strip():
            raise InvalidValue(f"{field}.relation", "is required (e.g. head, spouse, child)")
        birth_year = raw.get("birth_year")
        if birth_year is not None and (not isinstance(birth_year, int) or not birth_year >= 1900):
            raise InvalidValue(f"{field}.birth_year", "must be a year from 1900")
        circumstances = tuple(
            parse_enum(Circumstance, c, f"{field}.circumstances[{i}]")
            for i, c in enumerate(raw.get("circumstances") or ())
        )
        grade = raw.get("disability_grade")
        if grade is not None and grade not in (1, 2, 3, 4):
            raise InvalidValue(f"{field}.disability_grade", "must be 1, 2, 3 or 4")
        if grade is not None and Circumstance.DISABILITY not in circumstances:
            circumstances += (Circumstance.DISABILITY,)
        return cls(relation.strip(), birth_year, circumstances, grade)

    def as_record(self) -> dict[str, Any]:
        """The member as it is stored in an event."""
        return {
            "relation": self.relation,
            "birth_year": self.birth_year,
            "circumstances": [c.value for c in self.circumstances],
            "disability_grade": self.disability_grade,
        }
