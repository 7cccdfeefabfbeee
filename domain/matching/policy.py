"""An alliance's matching policy: score weights, rule switches, the policy list's exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.households.vocabulary import Assistance
from domain.matching.ladder import LATEST_EDITION, check_edition
from domain.shared.errors import InvalidValue
from domain.shared.money import check_fen
from domain.shared.regions import Level
from domain.shared.taxonomy import Category, parse_enum

# Parts of a candidate's fit (compared between the candidates of one need).
FIT_PARTS = ("distance", "load", "earmark_fit", "taxonomy", "asked")
# Parts of a need's priority (compared between the needs of one queue).
PRIORITY_PARTS = ("urgency", "waiting", "circle")
DEFAULT_WEIGHTS = {
    "distance": 5,
    "load": 3,
    "earmark_fit": 2,
    "taxonomy": 4,  # an exact category above a related one (the ladder)
    "asked": 6,  # a policy the need names (e.g. "apply for 低保"), above one it does not
    "urgency": 10,
    "waiting": 1,
    "circle": 2,
}
_LEVELS = tuple(level.value for level in Level)


@dataclass(frozen=True)
class Exclusion:
    """One entry of the policy list: who may not be matched to what, and why."""

    reason: str
    target: str = ""  # an offering, provider or fund id; empty: every candidate
    category: str = ""  # only needs of this category; empty: every category
    statuses: tuple[str, ...] = ()  # only households holding one of these; empty: every household

    @classmethod
    def parse(cls, raw: dict[str, Any], field: str) -> Exclusion:
        """Check one exclusion as published."""
        reason = str(raw.get("reason") or "").strip()
        if not reason:
            raise InvalidValue(f"{field}.reason", "an exclusion must say why")
        category = raw.get("category") or ""
        if category:
            category = parse_enum(Category, category, f"{field}.category").value
        statuses = tuple(
            sorted(
                parse_enum(Assistance, s, f"{field}.statuses[{i}]").value
                for i, s in enumerate(raw.get("statuses") or ())
            )
        )
        target = str(raw.get("target") or "").strip()
        if not (target or category or statuses):
            raise InvalidValue(field, "name a target, a category or statuses; it would exclude all")
        return cls(reason=reason, target=target, category=category, statuses=statuses)

    def as_record(self) -> dict[str, Any]:
        """The exclusion as stored in an event."""
        return {
            "reason": self.reason,
            "target": self.target,
            "category": self.category,
            "statuses": list(self.statuses),
        }


@dataclass(frozen=True)
class Policy:
    """Weights and switches in force; version 0 is the built-in default."""

    version: int = 0
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    require_need_type: bool = True  # off: a same-category service of another tier also fits
    widest_level: str = Level.COUNTY.value  # how far up the village → town → county fallback goes
    require_circle: bool = False  # on: located services beyond the circle are not candidates
    circle_km: int = 3  # the ten-minute service circle, as a radius
    grant_fen: int = 250_000  # a fund is a candidate when a pool holds at least this much
    grant_min_fen: int = 10_000  # a grant chosen on accepting a fund: at least 100 yuan …
    grant_max_fen: int = 2_000_000  # … and at most 20,000 yuan
    reservation_days: int = 30  # an unused reservation of a match expires after this many days
    ladder: int = LATEST_EDITION  # the taxonomy ladder's edition; 0: categories match exactly
    exclusions: tuple[Exclusion, ...] = ()

    @classmethod
    def parse(cls, raw: dict[str, Any], version: int = 0) -> Policy:
        """Check a policy as published; missing settings take the defaults."""
        weights = dict(DEFAULT_WEIGHTS)
        for name, value in (raw.get("weights") or {}).items():
            if name not in DEFAULT_WEIGHTS:
                raise InvalidValue(f"weights.{name}", f"not one of {', '.join(DEFAULT_WEIGHTS)}")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise InvalidValue(f"weights.{name}", "must be a whole number from 0 to 100")
            weights[name] = value
        widest = raw.get("widest_level", Level.COUNTY.value)
        if widest not in _LEVELS:
            raise InvalidValue("widest_level", f"must be one of {', '.join(_LEVELS)}")
        circle = raw.get("circle_km", 3)
        if isinstance(circle, bool) or not isinstance(circle, int) or not 1 <= circle <= 50:
            raise InvalidValue("circle_km", "must be a whole number of km from 1 to 50")
        exclusions = tuple(
            Exclusion.parse(e, f"exclusions[{i}]")
            for i, e in enumerate(raw.get("exclusions") or ())
        )
        low = check_fen(raw.get("grant_min_fen", 10_000), "grant_min_fen")
        high = check_fen(raw.get("grant_max_fen", 2_000_000), "grant_max_fen")
        if low > high:
            raise InvalidValue("grant_min_fen", "must not be above grant_max_fen")
        days = raw.get("reservation_days", 30)
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
            raise InvalidValue("reservation_days", "must be a whole number of days from 1 to 366")
        return cls(
            version=version,
            weights=weights,
            require_need_type=bool(raw.get("require_need_type", True)),
            widest_level=widest,
            require_circle=bool(raw.get("require_circle", False)),
            circle_km=circle,
            grant_fen=check_fen(raw.get("grant_fen", 250_000), "grant_fen"),
            grant_min_fen=low,
            grant_max_fen=high,
            reservation_days=days,
            ladder=check_edition(raw.get("ladder", LATEST_EDITION)),
            exclusions=exclusions,
        )

    def as_record(self) -> dict[str, Any]:
        """The settings as stored in an event (without the version, which the log gives)."""
        return {
            "weights": dict(self.weights),
            "require_need_type": self.require_need_type,
            "widest_level": self.widest_level,
            "require_circle": self.require_circle,
            "circle_km": self.circle_km,
            "grant_fen": self.grant_fen,
            "grant_min_fen": self.grant_min_fen,
            "grant_max_fen": self.grant_max_fen,
            "reservation_days": self.reservation_days,
            "ladder": self.ladder,
            "exclusions": [e.as_record() for e in self.exclusions],
        }


DEFAULT_POLICY = Policy()
