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
from typing import Any

from services.transparency.merkle import leaf_hash

_U16 = struct.Struct(">H")
_VERSION_AND_TOPIC = struct.Struct(">QH")
_U32 = struct.Struct(">I")


def leaf_bytes(originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The canonical encoding of one stored event."""
    oid = str(originator_id).encode()
    topic_bytes = topic.encode()
    return b"".join(
        (
            _U16.pack(len(oid)),
            oid,
            _VERSION_AND_TOPIC.pack(version, len(topic_bytes)),
            topic_bytes,
            _U32.pack(len(state)),
            state,
        )
    )


def event_leaf_hash(originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The leaf hash of one stored event."""
    return leaf_hash(leaf_bytes(originator_id, version, topic, state))
