"""Secrets and passwords hashed with argon2id; only the hashes are ever stored."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    """argon2id with the deployment's cost (RFC 9106's second recommendation by default)."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65_536) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=4, type=Type.ID
        )
        self._unknown = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, secret: str) -> str:
        """The argon2id hash to store."""
        return self._hasher.hash(secret)

    def verify(self, stored: str | None, given: str) -> bool:
        """Whether the secret matches (constant time inside argon2; unknown names cost the same)."""
        try:
            return self._hasher.verify(stored or self._unknown, given) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def new_secret() -> str:
    """A client secret or an initial password: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)
