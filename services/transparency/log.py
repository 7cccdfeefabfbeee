"""Keeps a Merkle tree per log over the committed events and serves heads and proofs.

A log is a stream of the notification log: each Kafka partition on the production profile, the
whole SQLite log on the embedded one (its notification log has no alliance grouping). The tree
follows the log like a view does: each step takes the events after its position, appends their
leaf hashes and moves the position, in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from services.transparency import store
from services.transparency.db import Db
from services.transparency.leaves import leaf_bytes
from services.transparency.merkle import consistency_path, inclusion_path
from services.transparency.signing import HeadSigner, TreeHead
from services.transparency.sources import LeafSource, RecorderSource

ALL_IDS = 2**63 - 1


@dataclass(frozen=True, slots=True)
class LogRange:
    """A stream of the notification log: its number and its notification-id bounds."""

    log: int
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """Where an event sits in a tree of a given size, and the path to that tree's root."""

    log: int
    leaf_index: int
    tree_size: int
    leaf: store.LeafRow
    leaf_data: bytes  # the bytes the leaf hashes, as the log holds them now
    path: list[bytes]


def log_ranges(recorder: ApplicationRecorder) -> list[LogRange]:
    """Kafka partitions when the recorder has them, else the whole log as log 0."""
    ranges = getattr(recorder, "partition_ranges", None)
    if ranges is None:
        return [LogRange(0, 1, ALL_IDS)]
    return [LogRange(r.partition, r.lowest_id, r.highest_id) for r in ranges()]


def log_of(recorder: ApplicationRecorder, notification_id: int) -> int:
    """The log a notification id belongs to."""
    for r in log_ranges(recorder):
        if r.low <= notification_id <= r.high:
            return r.log
    raise LookupError(f"notification id {notification_id} is in no log")


class TransparencyLog:
    """The trees of every log of one event store, signed with the installation's key."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        db: Db,
        signer: HeadSigner,
        batch_size: int = 5000,
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
        source: LeafSource | None = None,
    ) -> None:
        self.recorder = recorder
        self.source = source or RecorderSource(recorder)
        self.db = db
        self.signer = signer
        self.batch_size = batch_size
        self.clock_ms = clock_ms
        store.ensure_schema(db)

    def ensure_trees(self) -> None:
        """Create the (empty) tree of every log, so the index writer's hook can extend it."""
        for r in log_ranges(self.recorder):
            with self.db.tx() as tx:
                store.lock_tree(tx, r.log, r.low - 1)

    def advance(self) -> dict[int, int]:
        """Append every committed event not yet in its log's tree; the sizes after."""
        sizes = {}
        for r in log_ranges(self.recorder):
            while True:
                size, more = self._step(r)
                if not more:
                    break
            sizes[r.log] = size
        return sizes

    def _step(self, r: LogRange) -> tuple[int, bool]:
        with self.db.tx() as tx:
            tree = store.lock_tree(tx, r.log, r.low - 1)
            batch = self.source.leaves_after(tree.position, r.high, self.batch_size)
            if not batch:
                return tree.frontier.size, False
            store.append_leaves(tx, tree, batch, batch[-1][0])
            return tree.frontier.size, len(batch) == self.batch_size

    def publish(self, only_if_grown: bool = False) -> list[TreeHead]:
        """Advance, then sign a head of every log (with only_if_grown: of logs that grew)."""
        self.advance()
        published = []
        with self.db.tx() as tx:
            for log in store.logs(tx):
                tree = store.read_tree(tx, log)
                if tree is None:
                    continue
                last = store.heads(tx, log, newest=1)
                if only_if_grown and last and last[0].tree_size == tree.frontier.size:
                    continue
                head = self.signer.sign(
                    log, tree.frontier.size, self.clock_ms(), tree.frontier.root()
                )
                store.save_head(tx, head)
                published.append(head)
        return published

    def latest_heads(self) -> list[TreeHead]:
        """The newest signed head of every log."""
        with self.db.tx() as tx:
            return [h for log in store.logs(tx) for h in store.heads(tx, log, newest=1)]

    def heads(self, log: int) -> list[TreeHead]:
        """Every signed head of a log, oldest first."""
        with self.db.tx() as tx:
            return store.heads(tx, log)

    def inclusion_by_event(
        self, originator_id: Any, version: int, tree_size: int | None = None
    ) -> InclusionProof:
        """The inclusion proof of an aggregate's event of this version."""
        nid = self.source.notification_of(str(originator_id), version)
        if nid is None:
            raise LookupError(f"no event {originator_id} v{version} in the log")
        return self.inclusion_by_notification(nid, tree_size)

    def inclusion_by_notification(
        self, notification_id: int, tree_size: int | None = None
    ) -> InclusionProof:
        """The inclusion proof of the event with this notification id."""
        log = log_of(self.recorder, notification_id)
        with self.db.tx() as tx:
            leaf = store.find_leaf(tx, log, notification_id)
        if leaf is None:
            raise LookupError(f"notification {notification_id} is not in log {log}'s tree yet")
        return self.inclusion(log, leaf.leaf_index, tree_size)

    def inclusion(self, log: int, leaf_index: int, tree_size: int | None = None) -> InclusionProof:
        """The inclusion proof of the leaf at a position, in the tree of `tree_size` leaves."""
        with self.db.tx() as tx:
            size = self._size(tx, log, tree_size)
            if not 0 <= leaf_index < size:
                raise LookupError(f"position {leaf_index} is not in log {log}'s tree of {size}")
            leaf = store.leaves_between(tx, log, leaf_index, leaf_index + 1)[0]
            path = inclusion_path(leaf_index, size, store.stored_mth(tx, log))
        events = self.recorder.select_notifications(start=leaf.notification_id, limit=1)
        data = b""
        if events and events[0].id == leaf.notification_id:
            n = events[0]
            data = leaf_bytes(n.originator_id, n.originator_version, n.topic, n.state)
        return InclusionProof(log, leaf_index, size, leaf, data, path)

    def consistency(
        self, log: int, first: int, second: int | None = None
    ) -> tuple[int, list[bytes]]:
        """The second size (the newest tree by default) and the consistency proof to it."""
        with self.db.tx() as tx:
            size = self._size(tx, log, second)
            if not 0 < first <= size:
                raise LookupError(f"no consistency proof from {first} to {size} in log {log}")
            return size, consistency_path(first, size, store.stored_mth(tx, log))

    @staticmethod
    def _size(tx: Any, log: int, wanted: int | None) -> int:
        tree = store.read_tree(tx, log)
        size = tree.frontier.size if tree else 0
        if wanted is None:
            return size
        if not 0 < wanted <= size:
            raise LookupError(f"log {log}'s tree has {size} leaves, not {wanted}")
        return wanted
