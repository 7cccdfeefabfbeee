"""The bytes a leaf hashes: one stored event exactly as the store holds it.

A leaf is one event record of the notification log (the unit the index holds and that an
auditor asks about), framed as TLS-style vectors so no two events share an encoding:

    opaque originator_id<1..2^16-1>   (its text form)
    uint64 originator_version
    opaque topic<1..2^16-1>
    opaque state<0..2^32-1>           (the stored bytes, verbatim: JSON today, ciphertext later)

The position in the tree is the event's rank in its log, so order is part of what is proved.
"""

from __future__ import annotations

import struct
from hashlib import sha256
from typing import Any

_U16 = struct.Struct(">H")
_U64 = struct.Struct(">Q")
_U32 = struct.Struct(">I")
_topics: dict[str, bytes] = {}  # a handful of event types: their framed bytes, made once


def _framed_topic(topic: str) -> bytes:
    framed = _topics.get(topic)
    if framed is None:
        encoded = topic.encode()
        framed = _U16.pack(len(encoded)) + encoded
        if len(_topics) < 10_000:
            _topics[topic] = framed
    return framed


def leaf_bytes(originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The canonical encoding of one stored event."""
    oid = str(originator_id).encode()
    return b"".join(
        (
            _U16.pack(len(oid)),
            oid,
            _U64.pack(version),
            _framed_topic(topic),
            _U32.pack(len(state)),
            state,
        )
    )


def event_leaf_hash(originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The leaf hash of one stored event: SHA-256(0x00 || leaf_bytes)."""
    oid = str(originator_id).encode()
    return sha256(
        b"".join(
            (
                _LEAF_PREFIX_36 if len(oid) == 36 else b"\x00" + _U16.pack(len(oid)),
                oid,
                _U64.pack(version),
                _framed_topic(topic),
                _U32.pack(len(state)),
                state,
            )
        )
    ).digest()


_LEAF_PREFIX_36 = b"\x00" + _U16.pack(36)  # a UUID's text form


def uuid_text(stored: str) -> str:
    """eventsourcing's SQLite keeps a UUID as 32 hex digits; leaves use its canonical text."""
    if len(stored) == 32:
        return f"{stored[:8]}-{stored[8:12]}-{stored[12:16]}-{stored[16:20]}-{stored[20:]}"
    return stored
