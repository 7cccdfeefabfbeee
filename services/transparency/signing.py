"""Signed tree heads: Ed25519 over RFC 6962's TreeHeadSignature, prefixed by the log's number.

    struct {
        uint32 log;                    -- the stream: a Kafka partition, or 0 for the whole log
        uint8  version = 0;            -- v1 (RFC 6962 §3.5)
        uint8  signature_type = 1;     -- tree_hash
        uint64 timestamp;              -- milliseconds since the epoch
        uint64 tree_size;
        opaque sha256_root_hash[32];
    } SignedMessage;

The key id is SHA-256 of the public key's DER SubjectPublicKeyInfo (RFC 6962 §3.2's LogID),
in hex. One key signs every log of an installation; the log number keeps their heads apart.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from services.secrets import decoded_secret

_MESSAGE = struct.Struct(">IBBQQ")


@dataclass(frozen=True, slots=True)
class TreeHead:
    """A signed tree head of one log."""

    log: int
    tree_size: int
    timestamp_ms: int
    root_hash: bytes
    key_id: str
    signature: bytes

    def as_json(self) -> dict[str, object]:
        """The head as an auditor receives it (hashes and signature in base64)."""
        return {
            "log": self.log,
            "tree_size": self.tree_size,
            "timestamp": self.timestamp_ms,
            "root_hash": base64.b64encode(self.root_hash).decode(),
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
        }


def signed_message(log: int, tree_size: int, timestamp_ms: int, root_hash: bytes) -> bytes:
    """The bytes a tree head's signature covers."""
    return _MESSAGE.pack(log, 0, 1, timestamp_ms, tree_size) + root_hash


def key_id(public_key: Ed25519PublicKey) -> str:
    """RFC 6962's LogID: SHA-256 of the DER SubjectPublicKeyInfo, in hex."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


class HeadSigner:
    """Signs and checks tree heads with the installation's Ed25519 key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    def sign(self, log: int, tree_size: int, timestamp_ms: int, root_hash: bytes) -> TreeHead:
        """A signed head for the given tree."""
        signature = self._key.sign(signed_message(log, tree_size, timestamp_ms, root_hash))
        return TreeHead(log, tree_size, timestamp_ms, root_hash, self.key_id, signature)

    def check(self, head: TreeHead) -> bool:
        """True when the head was signed by this key."""
        if head.key_id != self.key_id:
            return False
        message = signed_message(head.log, head.tree_size, head.timestamp_ms, head.root_hash)
        try:
            self.public_key.verify(head.signature, message)
        except InvalidSignature:
            return False
        return True

    def public_key_pem(self) -> str:
        """The public key auditors check heads with."""
        pem: bytes = self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem.decode()


def parse_signing_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from its 32-byte seed (hex or base64), or from PKCS#8 PEM."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the log signing key must be an Ed25519 key")
        return key
    seed = decoded_secret(text)
    if seed is None or len(seed) != 32:
        raise ValueError("the log signing key must be a 32-byte seed in hex or base64, or PEM")
    return Ed25519PrivateKey.from_private_bytes(seed)
