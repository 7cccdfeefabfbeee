"""The Merkle tree of RFC 9162 §2.1 (as RFC 6962): hashes, an incremental frontier, proofs.

Proof generation is written against `SubtreeHash`, a function giving MTH(D[start:end]) for a
range, so the same code serves an in-memory list and a stored tree (services/transparency/store).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_LEAF = b"\x00"
_NODE = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

# MTH(D[start:end]) for 0 <= start < end.
SubtreeHash = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the hash of one leaf."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(_NODE + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


@dataclass(slots=True)
class Frontier:
    """The compact range [0, size): the roots of the perfect subtrees size's bits describe.

    Appending a leaf costs O(log n) hashes at worst (one on average) and yields the perfect
    subtrees it completes, so a store can keep the nodes it wants without re-reading leaves.
    """

    size: int = 0
    nodes: list[bytes] = field(default_factory=list)  # highest subtree first

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the (level, index, hash) of every subtree it completed."""
        completed = []
        h, level, index = leaf, 0, self.size
        while (self.size >> level) & 1:
            h = node_hash(self.nodes.pop(), h)
            level += 1
            index >>= 1
            completed.append((level, index, h))
        self.nodes.append(h)
        self.size += 1
        return completed

    def extend(self, leaves: Sequence[bytes]) -> None:
        """Append many leaf hashes (nothing kept about completed subtrees)."""
        nodes, size = self.nodes, self.size
        for h in leaves:
            bits = size
            while bits & 1:
                h = hashlib.sha256(_NODE + nodes.pop() + h).digest()
                bits >>= 1
            nodes.append(h)
            size += 1
        self.size = size

    def root(self) -> bytes:
        """MTH of the leaves appended so far."""
        if not self.nodes:
            return EMPTY_ROOT
        h = self.nodes[-1]
        for left in reversed(self.nodes[:-1]):
            h = node_hash(left, h)
        return h

    def encode(self) -> bytes:
        """The nodes concatenated (the size is kept beside them)."""
        return b"".join(self.nodes)

    @classmethod
    def decode(cls, size: int, blob: bytes) -> Frontier:
        """The frontier of `size` leaves from `encode`'s bytes."""
        nodes = [blob[i : i + 32] for i in range(0, len(blob), 32)]
        if len(nodes) != bin(size).count("1"):
            raise ValueError(f"a frontier of {size} leaves has {bin(size).count('1')} nodes")
        return cls(size, nodes)


def inclusion_path(index: int, size: int, mth: SubtreeHash) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1 for leaf `index` in a tree of `size` leaves."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            path.append(mth(start + k, end))
            end = start + k
        else:
            path.append(mth(start, start + k))
            start += k
    path.reverse()
    return path


def consistency_path(first: int, second: int, mth: SubtreeHash) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2 between tree sizes first <= second."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    path: list[bytes] = []
    start, end, complete = 0, second, True
    while True:
        if first - start == end - start:
            if not complete:
                path.append(mth(start, end))
            break
        k = split_point(end - start)
        if first - start <= k:
            path.append(mth(start + k, end))
            end = start + k
        else:
            path.append(mth(start, start + k))
            start += k
            complete = False
    path.reverse()
    return path


def list_mth(leaves: Sequence[bytes]) -> SubtreeHash:
    """MTH over an in-memory list of leaf hashes (tests and small trees)."""

    def mth(start: int, end: int) -> bytes:
        if end - start == 1:
            return leaves[start]
        k = split_point(end - start)
        return node_hash(mth(start, start + k), mth(start + k, end))

    return mth
