"""Record format (version 1): an orjson header line followed by the raw event states.

    {"v":1,"c":[[commit_id_hex,[[originator_id,version,topic,state_length],...]],...]}\\n
    <state bytes of event 1><state bytes of event 2>...

The states follow the header verbatim, sliced back out by their lengths. Measured reason for
not embedding them with orjson.Fragment: decoding a Fragment parses the state, and writing the
parsed value back is not byte-identical (orjson turns integers beyond 64 bits into floats and
rewrites escapes), so the index would hold different bytes from the ones acknowledged. The frame
is byte-exact for JSON and for encrypted/compressed states alike, never needs base64, and the
indexer never parses a state. A JSON header cannot contain a raw newline, so the first b"\\n"
ends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from uuid import UUID

import orjson
from eventsourcing.persistence import DataError, StoredEvent

from services.store.kafka.commits import Commit

FORMAT_VERSION = 1
# Bytes a header spends on one event besides its ids and topic (brackets, commas, numbers).
_EVENT_HEADER_OVERHEAD = 40
_COMMIT_HEADER_OVERHEAD = 48


class UndecodableRecordError(ValueError):
    """A record that is not in a format this store understands."""


def encode_record(commits: Sequence[Commit]) -> bytes:
    """One Kafka record value holding the given commits in order."""
    header = {
        "v": FORMAT_VERSION,
        "c": [
            [
                commit.commit_id.hex,
                [
                    [str(e.originator_id), e.originator_version, e.topic, len(e.state)]
                    for e in commit.events
                ],
            ]
            for commit in commits
        ],
    }
    states = b"".join(e.state for commit in commits for e in commit.events)
    return orjson.dumps(header) + b"\n" + states


def encoded_size_bound(events: Sequence[StoredEvent]) -> int:
    """An upper bound of the bytes a commit adds to a record, for packing without encoding."""
    size = _COMMIT_HEADER_OVERHEAD
    for e in events:
        size += (
            len(e.state)
            + _json_string_bound(e.topic)
            + _json_string_bound(str(e.originator_id))
            + _EVENT_HEADER_OVERHEAD
        )
    return size


def _json_string_bound(text: str) -> int:
    """Bytes a string can take in the JSON header: exact for plain ASCII, else 6 per char."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return len(text)
    return 6 * len(text)  # \uXXXX escapes, or up to 4 UTF-8 bytes per character


def decode_record(value: bytes, id_type: Literal["uuid", "text"]) -> list[Commit]:
    """Commits of one record, states byte-identical to what was produced."""
    newline = value.find(b"\n")
    if newline < 0:
        raise UndecodableRecordError("no header line")
    try:
        header = orjson.loads(value[:newline])
        if header["v"] != FORMAT_VERSION:
            raise UndecodableRecordError(f"unknown format version {header['v']!r}")
        position = newline + 1
        commits = []
        for commit_hex, rows in header["c"]:
            events = []
            for originator_id, version, topic, length in rows:
                state = value[position : position + length]
                position += length
                oid: UUID | str = UUID(originator_id) if id_type == "uuid" else originator_id
                events.append(StoredEvent(oid, version, topic, state))
            commits.append(Commit(UUID(hex=commit_hex), events))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise UndecodableRecordError(str(e)) from e
    if position != len(value):
        raise UndecodableRecordError("state lengths do not match the record length")
    return commits


def check_encodable(events: Sequence[StoredEvent], id_type: Literal["uuid", "text"]) -> None:
    """Refuse, before producing, events the index could not store (so no poison records)."""
    for e in events:
        if id_type == "uuid" and not isinstance(e.originator_id, UUID):
            try:
                UUID(str(e.originator_id))
            except ValueError:
                raise DataError(f"originator_id is not a UUID: {e.originator_id!r}") from None
        if not isinstance(e.originator_version, int) or e.originator_version < 0:
            raise DataError(f"originator_version must be a non-negative int: {e!r}")
        if not isinstance(e.state, bytes | bytearray | memoryview):
            raise DataError("state must be bytes")
