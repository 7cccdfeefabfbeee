"""Words of the supply side: kinds of provider, eligibility rules, where a service is given."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.households.vocabulary import Assistance
from domain.shared.errors import InvalidValue
from domain.shared.regions import check_region
from domain.shared.taxonomy import parse_enum


class ProviderKind(StrEnum):
    """Who gives help: the forces of the resource list (力量清单)."""

    DEPARTMENT = "department"  # 部门
    SOCIAL_WORK_PROVIDER = "social_work_provider"  # 购买服务的社工机构
    SOCIAL_ORGANISATION = "social_organisation"  # 社会组织
    VOLUNTEER_TEAM = "volunteer_team"  # 志愿服务队
    CHARITY = "charity"  # 慈善组织


@dataclass(frozen=True)
class Eligibility:
    """Who an offering is for; an empty rule admits everyone (HSDS eligibility fields)."""

    statuses: tuple[Assistance, ...] = ()
    groups: tuple[str, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    disability_required: bool = False
    description: str = ""

    @classmethod
    def parse(cls, raw: dict[str, Any] | None, field: str = "eligibility") -> Eligibility:
        """Check an eligibility rule as published."""
        raw = raw or {}
        statuses = tuple(
            parse_enum(Assistance, s, f"{field}.statuses[{i}]")
            for i, s in enumerate(raw.get("statuses") or ())
        )
        groups = tuple(str(g).strip() for g in raw.get("groups") or () if str(g).strip())
        low, high = raw.get("minimum_age"), raw.get("maximum_age")
        for name, age in (("minimum_age", low), ("maximum_age", high)):
            if age is not None and (not isinstance(age, int) or not 0 <= age <= 150):
                raise InvalidValue(f"{field}.{name}", "must be a whole number of years, 0 to 150")
        if low is not None and high is not None and low > high:
            raise InvalidValue(f"{field}.maximum_age", "must not be below the minimum age")
        return cls(
            statuses=tuple(sorted(set(statuses))),
            groups=tuple(sorted(set(groups))),
            minimum_age=low,
            maximum_age=high,
            disability_required=bool(raw.get("disability_required", False)),
            description=str(raw.get("description") or "").strip(),
        )

    def as_record(self) -> dict[str, Any]:
        """The rule as stored in an event."""
        return {
            "statuses": [s.value for s in self.statuses],
            "groups": list(self.groups),
            "minimum_age": self.minimum_age,
            "maximum_age": self.maximum_age,
            "disability_required": self.disability_required,
            "description": self.description,
        }


@dataclass(frozen=True)
class Location:
    """Where an offering is given, for the ten-minute service circle (十分钟救助服务圈)."""

    name: str
    region_code: str
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any] | None, field: str = "location") -> Location | None:
        """Check a location as published; None when there is none."""
        if not raw:
            return None
        name = str(raw.get("name") or "").strip()
        if not name:
            raise InvalidValue(f"{field}.name", "a location needs a name")
        lat, lon = raw.get("latitude"), raw.get("longitude")
        if (lat is None) != (lon is None):
            raise InvalidValue(f"{field}.latitude", "give both latitude and longitude, or neither")
        if lat is not None and not -90 <= float(lat) <= 90:
            raise InvalidValue(f"{field}.latitude", "must be between -90 and 90")
        if lon is not None and not -180 <= float(lon) <= 180:
            raise InvalidValue(f"{field}.longitude", "must be between -180 and 180")
        return cls(
            name=name,
            region_code=check_region(str(raw.get("region_code", "")), f"{field}.region_code"),
            latitude=None if lat is None else float(lat),
            longitude=None if lon is None else float(lon),
        )

    def as_record(self) -> dict[str, Any]:
        """The location as stored in an event."""
        return {
            "name": self.name,
            "region_code": self.region_code,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }
