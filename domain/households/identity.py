"""Household pseudonyms: raw registration numbers never leave the edge of the system.

A household key is `hh<id>_<pseudonym><check>`:
- `<id>` names the deployment secret that issued it (1–999), so the secret can be rotated: keys
  issued under an earlier id keep working while that secret is kept as a retired one;
- `<pseudonym>`: 32 hex digits of HMAC-SHA-256(secret, "pseudonym" 0x00 registration number);
- `<check>`: 8 hex digits of HMAC-SHA-256(secret, "check" 0x00 `hh<id>_<pseudonym>`), so a key
  this deployment did not issue (forged, mistyped, from another deployment) is refused.
Keys of the first version (`hh_` + 32 hex digits, no id, no check) still name their files but
are no longer accepted from outside.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from domain.ids import uuid5
from domain.shared.errors import InvalidValue

HOUSEHOLD_KEY_PATTERN = r"^hh[1-9][0-9]{0,2}_[0-9a-f]{40}$"
_KEY = re.compile(HOUSEHOLD_KEY_PATTERN)
_LEGACY_KEY = re.compile(r"^hh_[0-9a-f]{32}\Z")
_REGISTRATION = re.compile(r"^[0-9A-Za-z]{6,64}\Z")
_NAMESPACE = UUID("5b7e3c1a-9f1d-4c53-8f65-2a1e0d9b7c11")
_KEY_SHAPE = "a household key like 'hh1_' + 40 hex digits, as this service issued it"


def _normalised(registration_number: str) -> str:
    normalised = registration_number.strip().upper()
    if not _REGISTRATION.match(normalised):
        raise InvalidValue(
            "registration_number", "must be 6 to 64 letters or digits (a household or ID number)"
        )
    return normalised


def _mac(secret: str, label: bytes, text: str) -> str:
    return hmac.new(secret.encode(), label + b"\x00" + text.encode(), hashlib.sha256).hexdigest()


# A batch derives each household's key and id twice (the unit's look-ahead, then its command).
@lru_cache(maxsize=4096)
def pseudonymise(registration_number: str, secret: str, key_id: int = 1) -> str:
    """Derive the household key from a registration number with the secret of `key_id`."""
    prefix = f"hh{key_id}_" + _mac(secret, b"pseudonym", _normalised(registration_number))[:32]
    return prefix + _mac(secret, b"check", prefix)[:8]


def check_household_key(key: str, field: str = "household_key") -> str:
    """Return a well-formed household key (of any version), else raise InvalidValue."""
    if not isinstance(key, str) or not (_KEY.fullmatch(key) or _LEGACY_KEY.match(key)):
        raise InvalidValue(field, f"must be {_KEY_SHAPE}")
    return key


@lru_cache(maxsize=4096)
def household_id(household_key: str) -> UUID:
    """The aggregate id of a household file: one key, one file."""
    return uuid5(_NAMESPACE, check_household_key(household_key))


@dataclass(frozen=True)
class HouseholdKeyring:
    """The deployment's household secrets by key id; `current` issues new keys."""

    secrets: Mapping[int, str]
    current: int

    def issue(self, registration_number: str, key_id: int | None = None) -> str:
        """The key of a registration number under a secret (the current one by default)."""
        kid = self.current if key_id is None else key_id
        return pseudonymise(registration_number, self.secrets[kid], kid)

    def check(self, key: str, field: str = "household_key") -> str:
        """Return the key if this deployment issued it, else raise InvalidValue (422)."""
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidValue(field, f"must be {_KEY_SHAPE}")
        kid = int(key[2 : key.index("_")])
        secret = self.secrets.get(kid)
        prefix, check = key[:-8], key[-8:]
        if secret is None or not hmac.compare_digest(_mac(secret, b"check", prefix)[:8], check):
            raise InvalidValue(field, "is not a household key this deployment issued")
        return key

    def resolve(self, registration_number: str, exists: Callable[[str], bool]) -> str:
        """The key of a registration number: an existing file's under an earlier secret, else new.

        After a rotation the same number gives a different key under the new secret; looking
        for a file under each retired secret first keeps one household, one file.
        """
        current = self.issue(registration_number)
        for kid in sorted(self.secrets):
            if kid != self.current:
                earlier = self.issue(registration_number, kid)
                if exists(earlier):
                    return earlier
        return current

    def digest_secret(self) -> bytes:
        """A stable key for content digests: the oldest secret kept."""
        return self.secrets[min(self.secrets)].encode()


@dataclass(frozen=True)
class HouseholdKeys:
    """The edge's view of household keys: issue from registration numbers, check given keys."""

    keyring: HouseholdKeyring
    exists: Callable[[str], bool]  # does a household file with this key exist?

    def from_registration(self, registration_number: str) -> str:
        """The key of a registration number (one household, one file across rotations)."""
        if len(self.keyring.secrets) == 1:
            return self.keyring.issue(registration_number)
        return self.keyring.resolve(registration_number, self.exists)

    def check(self, key: str, field: str = "household_key") -> str:
        """The key, if this deployment issued it."""
        return self.keyring.check(key, field)
