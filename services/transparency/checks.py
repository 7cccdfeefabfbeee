"""The checks of a log against its tree and signed heads (used by verify and parallel).

Each source (the SQLite log, the PostgreSQL index, the Kafka log) yields the log's events in
order. Position by position they are compared with what the tree took (notification id,
aggregate, version, leaf hash), and the recomputed roots with every signed head, so a record
that was modified, removed, added or moved is named: its position, its notification id and
its aggregate and version.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from hashlib import sha256
from itertools import islice
from typing import Any

from services.transparency import store
from services.transparency.leaves import event_leaf_hash
from services.transparency.log import TransparencyLog
from services.transparency.merkle import Frontier
from services.transparency.sources import Event


@dataclass(frozen=True, slots=True)
class Finding:
    """The first bad record of a log."""

    position: int
    problem: str
    notification_id: int | None = None
    aggregate: str | None = None
    version: int | None = None


@dataclass(slots=True)
class LogReport:
    """What verifying one log from one source found."""

    log: int
    source: str
    events: int = 0
    head_size: int | None = None
    heads_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def as_json(self) -> dict[str, Any]:
        """The report as the CLI and the auditors' endpoint give it."""
        return {**asdict(self), "ok": self.ok}


def start_report(
    tlog: TransparencyLog, log: int, source: str
) -> tuple[LogReport, dict[int, bytes], int]:
    """The report with the heads' signatures checked, each signed size's root, the tree's size."""
    report = LogReport(log, source)
    with tlog.db.tx() as tx:
        signed = store.heads(tx, log)
        tree = store.read_tree(tx, log)
    size = tree.frontier.size if tree else 0
    for head in signed:
        if not tlog.signer.check(head):
            why = (
                "a bad signature"
                if head.key_id == tlog.signer.key_id
                else f"another key's signature (key id {head.key_id})"
            )
            report.findings.append(
                Finding(head.tree_size, f"the head of {head.tree_size} leaves has {why}")
            )
            return report, {}, size
    report.head_size = signed[-1].tree_size if signed else None
    return report, {h.tree_size: h.root_hash for h in signed}, size


def compare(
    tiles: Iterator[tuple[bytes, list[list[Any]]]],
    events: Iterable[Event],
    roots: dict[int, bytes],
    position: int = 0,
    stack: list[bytes] | None = None,
    checked: int = 0,
) -> tuple[list[Finding], int, int]:
    """Tile by tile: (findings, events read, heads checked).

    A tile's events are hashed together and compared with the tile's stored hashes and
    notification ids in two comparisons; only a tile that differs, or one holding a signed
    head's size, is walked position by position to name the first bad record and check the
    root. The frontier is inlined (same bytes as merkle.Frontier.append, which the tests
    compare it with). A check may start at a tile's first position with the frontier there.
    """
    stack = stack if stack is not None else []
    source = iter(events)
    for hashes, ids in tiles:
        chunk = list(islice(source, len(ids)))
        end = position + len(chunk)
        if len(chunk) == len(ids) and not any(position < size <= end for size in roots):
            computed = _leaf_hashes(chunk)
            if b"".join(computed) == hashes and [e[0] for e in chunk] == [i[0] for i in ids]:
                for h in computed:
                    _extend(stack, position, h)
                    position += 1
                continue
        leaves = [
            (nid, oid, v, hashes[32 * i : 32 * i + 32]) for i, (nid, oid, v) in enumerate(ids)
        ]
        for leaf, (nid, oid, version, topic, state) in zip(leaves, chunk, strict=False):
            h = event_leaf_hash(oid, version, topic, state)
            if leaf[3] != h or leaf[0] != nid:  # equal hashes: same aggregate, version, bytes
                if leaf[0] != nid or leaf[2] != version or leaf[1] != str(oid):
                    return [_moved(position, leaf, nid, oid, version)], position + 1, checked
                problem = "modified: the record's bytes differ from those the tree took"
                return [Finding(position, problem, nid, leaf[1], version)], position + 1, checked
            _extend(stack, position, h)
            position += 1
            if position in roots:
                checked += 1
                if Frontier(position, list(stack)).root() != roots[position]:
                    return [_tree_altered(position, leaf)], position, checked
        if len(chunk) < len(ids):
            leaf = leaves[len(chunk)]
            problem = f"missing: the log ends at {position} records; the tree holds more"
            return [Finding(position, problem, leaf[0], leaf[1], leaf[2])], position, checked
    if next(source, None) is not None:
        return unsigned_tail(position, roots), position + 1, checked
    return unsigned_tail(position, roots), position, checked


def _leaf_hashes(chunk: list[Event]) -> list[bytes]:
    return [event_leaf_hash(oid, version, topic, state) for _, oid, version, topic, state in chunk]


def unsigned_tail(size: int, roots: dict[int, bytes]) -> list[Finding]:
    """A signed head larger than what the tree and the log hold is a loss."""
    beyond = [s for s in roots if s > size]
    if beyond:
        problem = f"missing: a signed head covers {max(beyond)} records; the log holds {size}"
        return [Finding(size, problem)]
    return []


def _moved(
    position: int, leaf: tuple[int, str, int, bytes], nid: int, oid: Any, version: int
) -> Finding:
    return Finding(
        position,
        f"removed, inserted or reordered: the tree holds {leaf[1]} v{leaf[2]} "
        f"(notification {leaf[0]}) here; the log holds {oid} v{version} (notification {nid})",
        leaf[0],
        leaf[1],
        leaf[2],
    )


def _tree_altered(size: int, leaf: tuple[int, str, int, bytes]) -> Finding:
    return Finding(
        size - 1,
        f"the tree's stored hashes were altered: the first {size} records do not give the "
        "signed root",
        leaf[0],
        leaf[1],
        leaf[2],
    )


def _extend(stack: list[bytes], position: int, h: bytes) -> None:
    """Add the leaf at `position` to the frontier: merge it with each full subtree it closes."""
    while position & 1:
        h = sha256(b"\x01" + stack.pop() + h).digest()
        position >>= 1
    stack.append(h)
