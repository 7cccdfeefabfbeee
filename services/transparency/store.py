"""The persisted tree of each log: its frontier, its leaves in tiles, interior nodes, heads.

- tlog_trees: per log, the leaves appended so far, the last notification id taken and the
  frontier (the compact range): appending costs O(log n) without reading old leaves.
- tlog_tiles: the leaves, 256 to a row (their hashes, and the notification id, aggregate and
  version each position holds), so a verifier can name what a position held even after the
  event was removed from the log, and maintenance writes one row per 256 events.
- tlog_nodes: the perfect subtrees of height 8, 16, 24 …, so a proof reads O(log n) rows of at
  most 256 hashes instead of every leaf.
- tlog_heads: every signed tree head published.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

import orjson

from services.transparency.db import Db, Tx
from services.transparency.merkle import Frontier, SubtreeHash, node_hash, split_point
from services.transparency.signing import TreeHead

TILE_HEIGHT = 8
TILE = 1 << TILE_HEIGHT
_TILE_COLUMNS = ("log", "tile_index", "first_notification_id", "hashes", "events")

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS {t}trees (log BIGINT PRIMARY KEY, size BIGINT NOT NULL, "
    "position BIGINT NOT NULL, frontier BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {t}tiles (log BIGINT NOT NULL, tile_index BIGINT NOT NULL, "
    "first_notification_id BIGINT NOT NULL, hashes BLOB NOT NULL, events BLOB NOT NULL, "
    "PRIMARY KEY (log, tile_index))",
    "CREATE INDEX IF NOT EXISTS {i}tiles_by_notification ON {t}tiles (log, first_notification_id)",
    "CREATE TABLE IF NOT EXISTS {t}nodes (log BIGINT NOT NULL, level INTEGER NOT NULL, "
    "node_index BIGINT NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (log, level, node_index))",
    "CREATE TABLE IF NOT EXISTS {t}heads (log BIGINT NOT NULL, tree_size BIGINT NOT NULL, "
    "timestamp_ms BIGINT NOT NULL, root_hash BLOB NOT NULL, key_id TEXT NOT NULL, "
    "signature BLOB NOT NULL, PRIMARY KEY (log, timestamp_ms, tree_size))",
]


@dataclass(frozen=True, slots=True)
class LeafRow:
    """What one position of a log's tree holds."""

    leaf_index: int
    notification_id: int
    originator_id: str
    originator_version: int
    leaf_hash: bytes


@dataclass(slots=True)
class TreeState:
    """A log's tree as persisted: its frontier and the last notification id it took."""

    log: int
    position: int
    frontier: Frontier


def ensure_schema(db: Db) -> None:
    """Create the tables if missing."""
    with db.tx() as tx:
        if db.dialect == "postgresql":
            tx.run("SELECT pg_advisory_xact_lock(7240)")  # several processes starting at once
            tx.run(f"CREATE SCHEMA IF NOT EXISTS {getattr(db, 'schema', 'public')}")
        for statement in SCHEMA:
            tx.run(statement)
        if db.dialect == "postgresql":  # hashes do not compress: never try (measured: ~12 %)
            stored = tx.rows(
                "SELECT attstorage FROM pg_attribute WHERE attrelid = '{t}tiles'::regclass "
                "AND attname = 'hashes'"
            )
            if stored and stored[0][0] != "e":
                tx.run(
                    "ALTER TABLE {t}tiles ALTER COLUMN hashes SET STORAGE EXTERNAL, "
                    "ALTER COLUMN events SET STORAGE EXTERNAL"
                )


def lock_tree(tx: Tx, log: int, low_position: int) -> TreeState:
    """The log's tree, locked for this transaction (created empty when new)."""
    tx.run(
        "INSERT INTO {t}trees (log, size, position, frontier) VALUES (%s, 0, %s, %s) "
        "ON CONFLICT (log) DO NOTHING",
        (log, low_position, b""),
    )
    size, position, blob = tx.rows(
        "SELECT size, position, frontier FROM {t}trees WHERE log = %s FOR UPDATE", (log,)
    )[0]
    return TreeState(log, position, Frontier.decode(size, bytes(blob)))


def read_tree(tx: Tx, log: int) -> TreeState | None:
    """The log's tree as committed, or None before its first step."""
    found = tx.rows("SELECT size, position, frontier FROM {t}trees WHERE log = %s", (log,))
    if not found:
        return None
    size, position, blob = found[0]
    return TreeState(log, position, Frontier.decode(size, bytes(blob)))


def append_leaves(
    tx: Tx, tree: TreeState, leaves: Sequence[tuple[int, str, int, bytes]], position: int
) -> None:
    """Append (notification id, aggregate, version, leaf hash) leaves to the locked tree."""
    first = tree.frontier.size
    nodes = extend_frontier(tree.frontier, tree.log, b"".join(leaf[3] for leaf in leaves))
    tiles: list[tuple[int, int, int, bytes, bytes]] = []
    offset = first % TILE
    tile_index = first // TILE
    start = 0
    if offset:  # the last tile was partial: rewrite it with the new leaves after its own
        old = _tile_rows(tx, tree.log, tile_index, tile_index + 1)[0]
        tx.run("DELETE FROM {t}tiles WHERE log = %s AND tile_index = %s", (tree.log, tile_index))
        take = TILE - offset
        tiles.append(_tile(tree.log, tile_index, old.events + list(leaves[:take])))
        start, tile_index = take, tile_index + 1
    for i in range(start, len(leaves), TILE):
        tiles.append(_tile(tree.log, tile_index, list(leaves[i : i + TILE])))
        tile_index += 1
    tx.insert("tiles", _TILE_COLUMNS, tiles)
    tx.insert("nodes", ("log", "level", "node_index", "hash"), nodes)
    tree.position = position
    tx.run(
        "UPDATE {t}trees SET size = %s, position = %s, frontier = %s WHERE log = %s",
        (tree.frontier.size, position, tree.frontier.encode(), tree.log),
    )


def extend_frontier(
    frontier: Frontier, log: int, hashes: bytes
) -> list[tuple[int, int, int, bytes]]:
    """Append leaf hashes (32 bytes each, concatenated); the (log, level, index, hash) of every
    completed subtree of height 8, 16 … (Frontier.append, inlined: maintenance's hot loop)."""
    nodes: list[tuple[int, int, int, bytes]] = []
    stack, size = frontier.nodes, frontier.size
    for offset in range(0, len(hashes), 32):
        h, bits, level = hashes[offset : offset + 32], size, 0
        while bits & 1:
            h = sha256(b"\x01" + stack.pop() + h).digest()
            bits >>= 1
            level += 1
            if level % TILE_HEIGHT == 0:
                nodes.append((log, level, size >> level, h))
        stack.append(h)
        size += 1
    frontier.size = size
    return nodes


@dataclass(slots=True)
class _Tile:
    index: int
    events: list[tuple[int, str, int, bytes]]


def _tile(
    log: int, index: int, leaves: list[tuple[int, str, int, bytes]]
) -> tuple[int, int, int, bytes, bytes]:
    hashes = b"".join(leaf[3] for leaf in leaves)
    events = orjson.dumps([leaf[:3] for leaf in leaves])
    return (log, index, leaves[0][0], hashes, events)


def _tile_rows(tx: Tx, log: int, first: int, end: int) -> list[_Tile]:
    rows = tx.rows(
        "SELECT tile_index, hashes, events FROM {t}tiles WHERE log = %s AND tile_index >= %s "
        "AND tile_index < %s ORDER BY tile_index",
        (log, first, end),
    )
    return [_decode_tile(index, bytes(hashes), bytes(events)) for index, hashes, events in rows]


def _decode_tile(index: int, hashes: bytes, events: bytes) -> _Tile:
    ids = orjson.loads(events)
    return _Tile(
        index,
        [(nid, oid, v, hashes[32 * i : 32 * i + 32]) for i, (nid, oid, v) in enumerate(ids)],
    )


def leaves_between(tx: Tx, log: int, start: int, end: int) -> list[LeafRow]:
    """The stored leaves of positions [start, end), in order."""
    found = []
    for tile in _tile_rows(tx, log, start // TILE, (end - 1) // TILE + 1):
        base = tile.index * TILE
        for i, (nid, oid, v, h) in enumerate(tile.events):
            if start <= base + i < end:
                found.append(LeafRow(base + i, nid, oid, v, h))
    return found


def iter_tiles(
    db: Db, log: int, size: int, tiles_per_read: int = 64, start: int = 0
) -> Iterator[tuple[bytes, list[list[Any]]]]:
    """Positions [start, size) a tile at a time (start: a tile's first position): its hashes
    (32 bytes each, concatenated) and its [notification id, aggregate, version] triples, as
    stored (nothing built per leaf)."""
    left = size - start
    for first in range(start // TILE, (size + TILE - 1) // TILE, tiles_per_read):
        with db.tx() as tx:
            rows = tx.rows(
                "SELECT hashes, events FROM {t}tiles WHERE log = %s AND tile_index >= %s "
                "AND tile_index < %s ORDER BY tile_index",
                (log, first, first + tiles_per_read),
            )
        for hashes, events in rows:
            ids = orjson.loads(bytes(events))[:left]
            left -= len(ids)
            yield bytes(hashes)[: 32 * len(ids)], ids


def find_leaf(tx: Tx, log: int, notification_id: int) -> LeafRow | None:
    """The position of a log's tree holding this notification id."""
    rows = tx.rows(
        "SELECT tile_index, hashes, events FROM {t}tiles WHERE log = %s "
        "AND first_notification_id <= %s ORDER BY first_notification_id DESC LIMIT 1",
        (log, notification_id),
    )
    if not rows:
        return None
    tile = _decode_tile(rows[0][0], bytes(rows[0][1]), bytes(rows[0][2]))
    for i, (nid, oid, v, h) in enumerate(tile.events):
        if nid == notification_id:
            return LeafRow(tile.index * TILE + i, nid, oid, v, h)
    return None


def stored_mth(tx: Tx, log: int) -> SubtreeHash:
    """MTH(D[start:end]) of a log's stored tree, from nodes and tiles (O(log n) reads)."""

    def perfect(level: int, index: int) -> bytes:
        if level % TILE_HEIGHT == 0 and level > 0:
            row = tx.rows(
                "SELECT hash FROM {t}nodes WHERE log = %s AND level = %s AND node_index = %s",
                (log, level, index),
            )
            if not row:
                raise LookupError(f"log {log} has no node {level}/{index}")
            return bytes(row[0][0])
        base = level - level % TILE_HEIGHT
        count = 1 << (level - base)
        first = index * count
        if base == 0:
            hashes = [r.leaf_hash for r in leaves_between(tx, log, first, first + count)]
        else:
            rows = tx.rows(
                "SELECT hash FROM {t}nodes WHERE log = %s AND level = %s AND node_index >= %s "
                "AND node_index < %s ORDER BY node_index",
                (log, base, first, first + count),
            )
            hashes = [bytes(r[0]) for r in rows]
        if len(hashes) != count:
            raise LookupError(f"log {log} lacks hashes under node {level}/{index}")
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def mth(start: int, end: int) -> bytes:
        n = end - start
        if n & (n - 1) == 0:
            level = n.bit_length() - 1
            return perfect(level, start >> level)
        k = split_point(n)
        return node_hash(mth(start, start + k), mth(start + k, end))

    return mth


def save_head(tx: Tx, head: TreeHead) -> None:
    """Keep a signed head."""
    tx.run(
        "INSERT INTO {t}heads (log, tree_size, timestamp_ms, root_hash, key_id, signature) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (
            head.log,
            head.tree_size,
            head.timestamp_ms,
            head.root_hash,
            head.key_id,
            head.signature,
        ),
    )


def heads(tx: Tx, log: int, newest: int | None = None) -> list[TreeHead]:
    """The log's signed heads, oldest first (only the newest `newest` when given)."""
    query = (
        "SELECT log, tree_size, timestamp_ms, root_hash, key_id, signature FROM {t}heads "
        "WHERE log = %s ORDER BY timestamp_ms DESC, tree_size DESC"
    )
    params: list[Any] = [log]
    if newest is not None:
        query += " LIMIT %s"
        params.append(newest)
    rows = tx.rows(query, params)
    return [TreeHead(g, s, t, bytes(r), k, bytes(sig)) for g, s, t, r, k, sig in reversed(rows)]


def logs(tx: Tx) -> list[int]:
    """Every log with a tree."""
    return [r[0] for r in tx.rows("SELECT log FROM {t}trees ORDER BY log")]
