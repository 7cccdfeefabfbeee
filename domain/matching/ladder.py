"""The taxonomy ladder: which service categories may answer a need of another category.

Shipped as data (`ladders/edition-N.json`), one immutable file per edition; a matching policy
names the edition it judges with, so the ladder is versioned with the policy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from domain.shared.errors import InvalidValue
from domain.shared.taxonomy import Category

# Fit of the taxonomy: an exact category ranks above a related one.
EXACT = 1000
RELATED = 600
LATEST_EDITION = 1


@dataclass(frozen=True)
class Ladder:
    """One edition: for a need's category, the other categories that may serve it and why."""

    edition: int
    serves: dict[str, dict[str, str]]

    def related(self, need_category: str, service_category: str) -> str | None:
        """Why a service of another category may answer this need, or None if it may not."""
        return self.serves.get(need_category, {}).get(service_category)

    def categories_for(self, need_category: str) -> tuple[str, ...]:
        """The categories whose services may answer a need of this category, its own first."""
        return (need_category, *sorted(self.serves.get(need_category, {})))

    def needs_served_by(self, service_category: str) -> tuple[str, ...]:
        """The need categories a service of this category may answer, its own first."""
        others = sorted(n for n, s in self.serves.items() if service_category in s)
        return (service_category, *(n for n in others if n != service_category))


EXACT_ONLY = Ladder(0, {})


@cache
def ladder(edition: int) -> Ladder:
    """An edition of the ladder (0: categories must match exactly)."""
    if edition == 0:
        return EXACT_ONLY
    try:
        text = (
            resources.files("domain.matching")
            .joinpath(f"ladders/edition-{edition}.json")
            .read_text("utf-8")
        )
    except FileNotFoundError:
        raise InvalidValue("ladder", f"no ladder edition {edition} is shipped") from None
    raw = json.loads(text)
    serves: dict[str, dict[str, str]] = {}
    for need, rungs in raw["serves"].items():
        Category(need)
        serves[need] = {Category(service).value: why for service, why in rungs}
    return Ladder(int(raw["edition"]), serves)


def check_edition(value: object) -> int:
    """A ladder edition a policy may name: 0 (exact only) up to the newest shipped."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LATEST_EDITION:
        raise InvalidValue("ladder", f"must be an edition from 0 to {LATEST_EDITION}")
    return value
