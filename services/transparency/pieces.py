"""One piece of a log (a perfect subtree's leaves) checked in a process of its own.

Light on imports: a worker (`python -m services.transparency.pieces`) loads only this, sqlite3,
hashlib and orjson. The piece's
events are read from the embedded event store's file by rowid range, hashed as leaves, and
compared with the tree's tiles for the same positions (count, notification ids and hashes: equal
hashes mean equal aggregate, version and bytes). The piece's frontier is returned at every signed
size inside it and at its end; the caller combines the pieces' roots (RFC 9162 §2.1.1: a
perfect subtree's root is the same in every tree that contains it).
"""

from __future__ import annotations

import sqlite3
import struct
import sys
from dataclasses import dataclass
from hashlib import sha256

import orjson

from services.transparency.leaves import event_leaf_hash, uuid_text

TILE = 256
_FETCH = 8192
_U64 = struct.Struct(">Q").pack
_U32 = struct.Struct(">I").pack
_UUID_PREFIX = b"\x00\x00\x24"  # the leaf prefix and a 36-character originator id's length
_TOPICS: dict[str, bytes] = {}


@dataclass(frozen=True, slots=True)
class Piece:
    """Positions [start, end) of a log, held (if nothing changed) by rowids [low_id, high_id]."""

    events_path: str
    events_table: str
    tree_path: str
    log: int
    start: int
    end: int
    low_id: int
    high_id: int
    cuts: tuple[int, ...]  # signed sizes in (start, end]


@dataclass(frozen=True, slots=True)
class Checked:
    """A piece's outcome: whether it matched, and its frontier at each cut and at its end."""

    ok: bool
    events: int
    stacks: dict[int, list[bytes]]


def check(piece: Piece) -> Checked:
    """Read, hash and compare one piece (runs in a worker process)."""
    count = piece.end - piece.start
    tree = sqlite3.connect(f"file:{piece.tree_path}?mode=ro", uri=True)
    try:
        tiles = tree.execute(
            "SELECT hashes, events FROM tlog_tiles WHERE log = ? AND tile_index >= ? "
            "AND tile_index < ? ORDER BY tile_index",
            (piece.log, piece.start // TILE, (piece.end + TILE - 1) // TILE),
        ).fetchall()
    finally:
        tree.close()
    expected = b"".join(bytes(h) for h, _ in tiles)[: 32 * count]
    expected_ids = [i[0] for _, e in tiles for i in orjson.loads(e)][:count]
    events = sqlite3.connect(f"file:{piece.events_path}?mode=ro", uri=True)
    ids: list[int] = []
    hashes: list[bytes] = []
    try:
        cursor = events.execute(
            f"SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {piece.events_table} WHERE rowid >= ? AND rowid <= ? ORDER BY rowid",
            (piece.low_id, piece.high_id),
        )
        while batch := cursor.fetchmany(_FETCH):
            if len(ids) + len(batch) > count:
                return Checked(False, len(ids), {})
            ids.extend(row[0] for row in batch)
            hashes.extend([event_leaf_hash(uuid_text(o), v, t, s) for _, o, v, t, s in batch])
    finally:
        events.close()
    if len(ids) != count or ids != expected_ids or b"".join(hashes) != expected:
        return Checked(False, len(ids), {})
    return Checked(True, count, _stacks(piece, hashes))


def _leaf_hashes(rows: list[tuple[int, str, int, str, bytes]]) -> list[bytes]:
    """leaves.event_leaf_hash of each row, inlined for the common shape (a UUID kept as 32 hex
    digits, a known topic); any other row goes through event_leaf_hash itself."""
    u64, u32, topics = _U64, _U32, _TOPICS
    out = []
    for _, o, v, t, s in rows:
        framed = topics.get(t)
        if len(o) != 32 or framed is None:
            out.append(event_leaf_hash(uuid_text(o), v, t, s))
            if framed is None and len(topics) < 10_000:
                encoded = t.encode()
                topics[t] = len(encoded).to_bytes(2, "big") + encoded
            continue
        text = f"{o[:8]}-{o[8:12]}-{o[12:16]}-{o[16:20]}-{o[20:]}".encode()
        out.append(sha256(b"".join((_UUID_PREFIX, text, u64(v), framed, u32(len(s)), s))).digest())
    return out


def _stacks(piece: Piece, hashes: list[bytes]) -> dict[int, list[bytes]]:
    """The piece's own frontier (positions counted from its start) at each cut and at its end."""
    if not piece.cuts and len(hashes) & (len(hashes) - 1) == 0:  # a perfect subtree: its root
        level = hashes
        while len(level) > 1:
            level = [
                sha256(b"\x01" + left + right).digest()
                for left, right in zip(level[0::2], level[1::2], strict=True)
            ]
        return {piece.end: level}
    stacks: dict[int, list[bytes]] = {}
    cuts = set(piece.cuts)
    stack: list[bytes] = []
    for local, leaf in enumerate(hashes):
        h, bits = leaf, local
        while bits & 1:
            h = sha256(b"\x01" + stack.pop() + h).digest()
            bits >>= 1
        stack.append(h)
        if piece.start + local + 1 in cuts:
            stacks[piece.start + local + 1] = list(stack)
    stacks[piece.end] = list(stack)
    return stacks


def main() -> None:
    """Worker: pieces as JSON lines on stdin, one JSON line of outcome each on stdout."""
    for line in sys.stdin:
        try:
            done = check(Piece(**orjson.loads(line)))
        except Exception:  # unreadable rows: the caller's sequential pass names what is wrong
            done = Checked(False, 0, {})
        stacks = {str(cut): [h.hex() for h in nodes] for cut, nodes in done.stacks.items()}
        out = orjson.dumps({"ok": done.ok, "events": done.events, "stacks": stacks})
        sys.stdout.buffer.write(out + b"\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
