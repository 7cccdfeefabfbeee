"""Data keys wrapped by a master key (AES key wrap, RFC 3394), behind a protocol a KMS can fill.

The master key comes from the settings (`ZHULIAN_MASTER_KEY`); its id travels with every wrapped
key, so after a rotation the keys wrapped by a retired master key still unwrap until they are
rewrapped (`zhulian rewrap-keys`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap,
    aes_key_wrap,
)

from services.secrets import decoded_secret


class KeyWrapper(Protocol):
    """Wraps and unwraps data keys; a KMS client can stand in for the local master key."""

    @property
    def current_id(self) -> str:
        """The id of the key new data keys are wrapped with."""
        ...

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        """The wrapping key's id and the wrapped data key."""
        ...

    def unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        """The data key; KeyError for an unknown wrapping key, ValueError when it fails."""
        ...


def master_key_bytes(text: str) -> bytes:
    """The 32-byte AES key a master-key setting encodes (hex or base64; longer: hashed)."""
    raw = decoded_secret(text)
    if raw is None or len(raw) < 32:
        raise ValueError("a master key must encode at least 32 random bytes as hex or base64")
    return raw if len(raw) == 32 else hashlib.sha256(b"zhulian/master/v1\x00" + raw).digest()


@dataclass(frozen=True)
class MasterKeyWrapper:
    """AES-KW under master keys from the settings: the current one and any retired ones."""

    keys: dict[str, bytes]
    current: str

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise ValueError("the current master key id has no key")

    @classmethod
    def from_settings(
        cls, current: str, current_id: str, retired: dict[str, str]
    ) -> MasterKeyWrapper:
        """Keys as the settings give them (text), the current one under `current_id`."""
        keys = {kid: master_key_bytes(text) for kid, text in retired.items()}
        keys[current_id] = master_key_bytes(current)
        return cls(keys, current_id)

    @property
    def current_id(self) -> str:
        """The id new data keys are wrapped under."""
        return self.current

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        """Wrap under the current master key."""
        return self.current, aes_key_wrap(self.keys[self.current], data_key)

    def unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        """Unwrap with the master key that wrapped it."""
        try:
            return aes_key_unwrap(self.keys[key_id], wrapped)
        except InvalidUnwrap as error:
            raise ValueError(f"data key does not unwrap under master key {key_id!r}") from error
