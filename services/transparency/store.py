"""The persisted tree of each log: its frontier, its leaves, some interior nodes, signed heads.

- tlog_trees: per log, the leaves appended so far, the last notification id taken and the
  frontier (the compact range): appending costs O(log n) without reading old leaves.
- tlog_leaves: per position, the event it holds (notification id, aggregate, version) and its
  leaf hash, so a proof can be served by aggregate and version, and a verifier can name what a
  position held even after the event was removed from the log.
- tlog_nodes: the perfect subtrees of height 8, 16, 24 …, so a proof reads O(log n) tiles of at
  most 256 hashes instead of every leaf.
- tlog_heads: every signed tree head published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.transparency.db import Db, Tx
from services.transparency.merkle import Frontier, SubtreeHash, node_hash, split_point
from services.transparency.signing import TreeHead

TILE_HEIGHT = 8

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS {t}trees (log BIGINT PRIMARY KEY, size BIGINT NOT NULL, "
    "position BIGINT NOT NULL, frontier BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {t}leaves (log BIGINT NOT NULL, leaf_index BIGINT NOT NULL, "
    "notification_id BIGINT NOT NULL, originator_id TEXT NOT NULL, "
    "originator_version BIGINT NOT NULL, leaf_hash BLOB NOT NULL, PRIMARY KEY (log, leaf_index))",
    "CREATE INDEX IF NOT EXISTS {i}leaves_by_event ON {t}leaves (originator_id, originator_version)",
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
        for statement in SCHEMA:
            tx.run(statement)


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
    """The log's tree as committed, or None before its first leaf."""
    found = tx.rows("SELECT size, position, frontier FROM {t}trees WHERE log = %s", (log,))
    if not found:
        return None
    size, position, blob = found[0]
    return TreeState(log, position, Frontier.decode(size, bytes(blob)))


def append_leaves(tx: Tx, tree: TreeState, leaves: Sequence[LeafRow], position: int) -> None:
    """Append leaves to the locked tree; persist them, the tiles they complete and the frontier."""
    nodes: list[tuple[int, int, int, bytes]] = []
    for leaf in leaves:
        for level, index, h in tree.frontier.append(leaf.leaf_hash):
            if level % TILE_HEIGHT == 0:
                nodes.append((tree.log, level, index, h))
    tx.run_many(
        "INSERT INTO {t}leaves (log, leaf_index, notification_id, originator_id, "
        "originator_version, leaf_hash) VALUES (%s, %s, %s, %s, %s, %s)",
        [
            (tree.log, r.leaf_index, r.notification_id, r.originator_id, r.originator_version,
             r.leaf_hash)
            for r in leaves
        ],
    )
    tx.run_many(
        "INSERT INTO {t}nodes (log, level, node_index, hash) VALUES (%s, %s, %s, %s)", nodes
    )
    tree.position = position
    tx.run(
        "UPDATE {t}trees SET size = %s, position = %s, frontier = %s WHERE log = %s",
        (tree.frontier.size, position, tree.frontier.encode(), tree.log),
    )


def leaves_between(tx: Tx, log: int, start: int, end: int) -> list[LeafRow]:
    """The stored leaves of positions [start, end), in order."""
    rows = tx.rows(
        "SELECT leaf_index, notification_id, originator_id, originator_version, leaf_hash "
        "FROM {t}leaves WHERE log = %s AND leaf_index >= %s AND leaf_index < %s "
        "ORDER BY leaf_index",
        (log, start, end),
    )
    return [LeafRow(i, n, o, v, bytes(h)) for i, n, o, v, h in rows]


def find_leaf(tx: Tx, originator_id: str, version: int) -> tuple[int, LeafRow] | None:
    """The log and position holding an aggregate's event of this version."""
    rows = tx.rows(
        "SELECT log, leaf_index, notification_id, originator_id, originator_version, leaf_hash "
        "FROM {t}leaves WHERE originator_id = %s AND originator_version = %s",
        (originator_id, version),
    )
    if not rows:
        return None
    log, i, n, o, v, h = rows[0]
    return log, LeafRow(i, n, o, v, bytes(h))


def stored_mth(tx: Tx, log: int) -> SubtreeHash:
    """MTH(D[start:end]) of a log's stored tree, from tiles and leaves (O(log n) reads)."""

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
        (head.log, head.tree_size, head.timestamp_ms, head.root_hash, head.key_id,
         head.signature),
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
