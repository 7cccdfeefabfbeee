"""Keys memoised for one request or one unit of ingest, and no longer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.privacy.tokens import new_data_key


class Erased(Exception):
    """The household was erased: its data key is destroyed; no new personal data is taken."""

    def __init__(self, household: UUID) -> None:
        super().__init__(f"household {household} was erased: its personal data is no longer kept")
        self.household = household


class KeyRace(Exception):
    """Another process made a household's key first: values sealed with ours must be redone."""


class Absent(Enum):
    """Why a household has no key to read with."""

    ERASED = "erased"
    NONE = "none"  # never had one (or the value came from elsewhere)


class Store(Protocol):
    """What a session asks of the key store."""

    def key_to_seal(self, household: UUID) -> bytes: ...

    def existing_key_to_seal(self, household: UUID) -> bytes | None: ...

    def create_many(self, keys: dict[UUID, bytes]) -> None: ...

    def key_to_read(self, household: UUID) -> bytes | Absent: ...

    def shred(self, household: UUID) -> None: ...


@dataclass
class KeySession:
    """A memo of keys for one short piece of work; shredding through it forgets the key too.

    A deferred session (a unit of batch ingest) makes new households' keys in memory and
    stores them all in one transaction with `flush()`, which must come before the unit's
    events are saved.
    """

    store: Store
    deferred: bool = False
    _seal: dict[UUID, bytes] = field(default_factory=dict)
    _read: dict[UUID, bytes | Absent] = field(default_factory=dict)
    _new: dict[UUID, bytes] = field(default_factory=dict)
    _ciphers: dict[UUID, AESGCM] = field(default_factory=dict)

    def key_to_seal(self, household: UUID) -> bytes:
        """As KeyStore.key_to_seal, memoised (and, deferred, created at flush)."""
        if household not in self._seal:
            if not self.deferred:
                self._seal[household] = self.store.key_to_seal(household)
            else:
                key = self.store.existing_key_to_seal(household)
                if key is None:
                    key = self._new[household] = new_data_key()
                self._seal[household] = key
        return self._seal[household]

    def cipher_to_seal(self, household: UUID) -> AESGCM:
        """The household's key as a ready AES-GCM cipher, memoised like the key."""
        if household not in self._ciphers:
            self._ciphers[household] = AESGCM(self.key_to_seal(household))
        return self._ciphers[household]

    def flush(self) -> None:
        """Store the keys made in this session (KeyRace when another writer made one first)."""
        made, self._new = self._new, {}
        try:
            self.store.create_many(made)
        except BaseException:
            self._seal.clear()
            self._ciphers.clear()
            raise

    def key_to_read(self, household: UUID) -> bytes | Absent:
        """As KeyStore.key_to_read, memoised."""
        if household not in self._read:
            self._read[household] = self.store.key_to_read(household)
        return self._read[household]

    def shred(self, household: UUID) -> None:
        """Destroy the key everywhere, this memo included."""
        self._seal.pop(household, None)
        self._read.pop(household, None)
        self._new.pop(household, None)
        self._ciphers.pop(household, None)
        self.store.shred(household)
