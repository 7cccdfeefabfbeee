"""One personal value sealed with its household's data key: `enc:v1:<key id>:<field>:<data>`.

The key id is the household file's id (32 hex digits, already in every event of the file), the
field is where the value was given (e.g. `data.note`), the data is base64url of nonce ‖
ciphertext ‖ tag. The associated data binds the household and the field, so a token moved to
another household or another field, or edited, fails to open.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc:v1:"
NONCE_BYTES = 12
KEY_BYTES = 32  # AES-256-GCM
TOKEN = re.compile(r"enc:v1:([0-9a-f]{32}):([a-z0-9_.]{1,80}):([A-Za-z0-9_-]+)")
_FIELD = re.compile(r"^[a-z0-9_.]{1,80}$")


class Unreadable(Exception):
    """A token that does not open: edited, moved, or sealed with another key."""


@dataclass(frozen=True)
class Token:
    """A parsed token."""

    household: UUID
    field: str
    sealed: bytes

    def text(self) -> str:
        """The token as stored."""
        data = base64.urlsafe_b64encode(self.sealed).decode().rstrip("=")
        return f"{PREFIX}{self.household.hex}:{self.field}:{data}"


def new_data_key() -> bytes:
    """A fresh random data key."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def _aad(household: UUID, field: str) -> bytes:
    return b"zhulian/personal/v1\x00" + household.bytes + b"\x00" + field.encode()


def seal(key: bytes | AESGCM, household: UUID, field: str, clear: str) -> str:
    """The token of `clear`, bound to this household and field (`key` may be a ready cipher)."""
    if not _FIELD.match(field):
        raise ValueError(f"not a field path: {field!r}")
    cipher = key if isinstance(key, AESGCM) else AESGCM(key)
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + cipher.encrypt(nonce, clear.encode(), _aad(household, field))
    return Token(household, field, sealed).text()


def parse(text: str) -> Token:
    """The parts of a whole token; ValueError when `text` is not one."""
    match = TOKEN.fullmatch(text)
    if match is None:
        raise ValueError("not a sealed value")
    household, field, data = match.groups()
    try:
        sealed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not a sealed value") from error
    return Token(UUID(household), field, sealed)


def open_token(
    key: bytes, token: Token, household: UUID | None = None, field: str | None = None
) -> str:
    """The clear text; checks the household and field the reader expects, when it knows them."""
    if household is not None and household != token.household:
        raise Unreadable("sealed for another household")
    if field is not None and field != token.field:
        raise Unreadable("sealed for another field")
    nonce, body = token.sealed[:NONCE_BYTES], token.sealed[NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, body, _aad(token.household, token.field)).decode()
    except (InvalidTag, ValueError) as error:
        raise Unreadable("the value does not open with this household's key") from error


def is_sealed(value: object) -> bool:
    """Whether a value is (exactly) a token."""
    return (
        isinstance(value, str) and value.startswith(PREFIX) and TOKEN.fullmatch(value) is not None
    )
