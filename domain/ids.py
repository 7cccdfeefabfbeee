"""Name-based record ids (RFC 9562 version 5), made without the standard library's detours.

`uuid.uuid5` imports hashlib, re-encodes the namespace and checks its arguments on every call;
a batch of department events makes several ids per event (receipt, household, vocabulary), so
the same value is built here from the namespace's cached bytes. The result equals `uuid.uuid5`.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import sha1
from uuid import UUID, SafeUUID

# Version 5 (bits 76–79) and the RFC variant (bits 62–63), as uuid.UUID(version=5) sets them.
_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_SET = (5 << 76) | (0x8000 << 48)
_new = object.__new__
_set = object.__setattr__


@lru_cache(maxsize=64)
def _prefix(namespace: UUID) -> bytes:
    return namespace.bytes


def uuid5(namespace: UUID, name: str) -> UUID:
    """The version-5 UUID of `name` in `namespace`, equal to `uuid.uuid5(namespace, name)`."""
    digest = sha1(_prefix(namespace) + name.encode()).digest()
    ident: UUID = _new(UUID)
    _set(ident, "int", (int.from_bytes(digest[:16]) & _CLEAR) | _SET)
    _set(ident, "is_safe", SafeUUID.unknown)
    return ident
