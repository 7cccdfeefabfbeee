"""Administrative division codes: 6-digit county, 9-digit town, 12-digit village."""

from __future__ import annotations

from enum import StrEnum

from domain.shared.errors import InvalidValue


class Level(StrEnum):
    """The level of an administrative division code."""

    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"


_LEVEL_BY_LENGTH = {6: Level.COUNTY, 9: Level.TOWN, 12: Level.VILLAGE}


def check_region(code: str, field: str = "region_code") -> str:
    """Return the code if it is a 6, 9 or 12 digit division code, else raise InvalidValue."""
    if not isinstance(code, str) or not code.isascii() or not code.isdigit():
        raise InvalidValue(field, f"{code!r} is not a division code (digits only)")
    if len(code) not in _LEVEL_BY_LENGTH:
        raise InvalidValue(field, f"{code!r} must have 6 (county), 9 (town) or 12 (village) digits")
    return code


def check_prefix(prefix: str, field: str = "region") -> str:
    """Return a jurisdiction prefix: 2 to 12 digits."""
    if not prefix.isascii() or not prefix.isdigit() or not 2 <= len(prefix) <= 12:
        raise InvalidValue(field, f"{prefix!r} is not a region prefix (2 to 12 digits)")
    return prefix


def level_of(code: str) -> Level:
    """The level of a checked division code."""
    return _LEVEL_BY_LENGTH[len(check_region(code))]


def alliance_of(code: str) -> str:
    """The county code that names the alliance (and the log partition) a region belongs to."""
    return check_region(code)[:6]


def parent_of(code: str) -> str | None:
    """The next level up: village → town → county → None."""
    code = check_region(code)
    return {12: code[:9], 9: code[:6]}.get(len(code))


def chain_up(code: str) -> list[str]:
    """The code and every level above it, nearest first."""
    chain = [check_region(code)]
    while (up := parent_of(chain[-1])) is not None:
        chain.append(up)
    return chain
