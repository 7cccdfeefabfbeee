"""Household pseudonyms: raw registration numbers never leave the edge of the system."""

from __future__ import annotations

import hashlib
import hmac
import re
from uuid import UUID, uuid5

from domain.shared.errors import InvalidValue

_REGISTRATION = re.compile(r"^[0-9A-Za-z]{6,64}$")
_KEY = re.compile(r"^hh_[0-9a-f]{32}$")
_NAMESPACE = UUID("5b7e3c1a-9f1d-4c53-8f65-2a1e0d9b7c11")


def pseudonymise(registration_number: str, secret: str) -> str:
    """Derive the household key from a registration number with the deployment secret."""
    normalised = registration_number.strip().upper()
    if not _REGISTRATION.match(normalised):
        raise InvalidValue(
            "registration_number", "must be 6 to 64 letters or digits (a household or ID number)"
        )
    digest = hmac.new(secret.encode(), normalised.encode(), hashlib.sha256).hexdigest()
    return "hh_" + digest[:32]


def check_household_key(key: str, field: str = "household_key") -> str:
    """Return a well-formed household key, else raise InvalidValue."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise InvalidValue(field, "must be a household key like 'hh_' + 32 hex digits")
    return key


def household_id(household_key: str) -> UUID:
    """The aggregate id of a household file: one key, one file."""
    return uuid5(_NAMESPACE, check_household_key(household_key))
