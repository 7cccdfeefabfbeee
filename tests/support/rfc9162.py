"""An auditor's verifier, written from RFC 9162 alone (not from services/transparency).

- verify_inclusion: §2.1.3.2, "Verifying an Inclusion Proof".
- verify_consistency: §2.1.4.2, "Verifying Consistency between Two Tree Heads".
- verify_head_signature: the signed message documented in the README (RFC 6962 §3.5's
  TreeHeadSignature after a uint32 log number), Ed25519.
"""

from __future__ import annotations

import hashlib
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def _hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hash_leaf(entry: bytes) -> bytes:
    """The hash of a leaf entry: SHA-256(0x00 || entry)."""
    return _hash(b"\x00" + entry)


def verify_inclusion(
    leaf_index: int, tree_size: int, leaf: bytes, path: list[bytes], root: bytes
) -> bool:
    """True when `path` proves the leaf hash `leaf` is at `leaf_index` under `root`."""
    if leaf_index >= tree_size:
        return False
    fn, sn = leaf_index, tree_size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _hash(b"\x01" + p + r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _hash(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_hash: bytes, second_hash: bytes, path: list[bytes]
) -> bool:
    """True when `path` proves the tree of `first` leaves is a prefix of that of `second`."""
    if first == second:
        return not path and first_hash == second_hash
    if not 0 < first < second or not path:
        return False
    if first & (first - 1) == 0:  # an exact power of two: the first root is a node of the path
        path = [first_hash, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _hash(b"\x01" + c + fr)
            sr = _hash(b"\x01" + c + sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _hash(b"\x01" + sr + c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def verify_head_signature(
    public_key_pem: str, log: int, tree_size: int, timestamp: int, root: bytes, signature: bytes
) -> bool:
    """True when the tree head was signed by the key (Ed25519)."""
    message = struct.pack(">IBBQQ", log, 0, 1, timestamp, tree_size) + root
    key = load_pem_public_key(public_key_pem.encode())
    try:
        key.verify(signature, message)  # type: ignore[union-attr, call-arg]
    except InvalidSignature:
        return False
    return True
