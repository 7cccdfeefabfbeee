"""Recompute a log's tree from what the store holds now and check it against the signed heads.

Each source (the SQLite log, the PostgreSQL index, the Kafka log) yields the log's events in
order. Position by position they are compared with what the tree took (notification id,
aggregate, version, leaf hash), and the recomputed roots with every signed head, so a record
that was modified, removed, added or moved is named: its position, its notification id and
its aggregate and version.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from services.transparency import store
from services.transparency.leaves import event_leaf_hash
from services.transparency.log import TransparencyLog, log_ranges
from services.transparency.merkle import Frontier

# (notification id, originator id, version, topic, state) in log order
Event = tuple[int, Any, int, str, bytes]
_CHUNK = 10_000


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


def index_events(tlog: TransparencyLog, log: int) -> Iterator[Event]:
    """A log's events as the event store's notification log (the index) holds them."""
    r = next(x for x in log_ranges(tlog.recorder) if x.log == log)
    position = r.low - 1
    while True:
        batch = tlog.recorder.select_notifications(
            start=position, limit=_CHUNK, stop=r.high, inclusive_of_start=False
        )
        for n in batch:
            yield n.id, n.originator_id, n.originator_version, n.topic, n.state
        if len(batch) < _CHUNK:
            return
        position = batch[-1].id


def verify_log(tlog: TransparencyLog, log: int, events: Iterable[Event], source: str) -> LogReport:
    """Compare one source's events of a log with its tree and its signed heads."""
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
            return report
    report.head_size = signed[-1].tree_size if signed else None
    roots = {h.tree_size: h.root_hash for h in signed}
    frontier = Frontier()
    stored = store.iter_leaves(tlog.db, log, size)
    for position, (nid, oid, version, topic, state) in enumerate(events):
        leaf = next(stored, None)
        h = event_leaf_hash(oid, version, topic, state)
        report.events += 1
        if leaf is None:
            break  # appended after the tree's last step: the next step takes it
        if (leaf.notification_id, leaf.originator_id, leaf.originator_version) != (
            nid,
            str(oid),
            version,
        ):
            report.findings.append(_moved(position, leaf, nid, oid, version))
            return report
        if leaf.leaf_hash != h:
            report.findings.append(
                Finding(
                    position,
                    "modified: the record's bytes differ from those the tree took",
                    nid,
                    leaf.originator_id,
                    version,
                )
            )
            return report
        frontier.append(h)
        if frontier.size in roots:
            report.heads_checked += 1
            if frontier.root() != roots[frontier.size]:
                report.findings.append(_tree_altered(frontier.size, leaf))
                return report
    else:
        leaf = next(stored, None)
        if leaf is not None:
            report.findings.append(
                Finding(
                    leaf.leaf_index,
                    f"missing: the log ends at {report.events} records; the tree holds more",
                    leaf.notification_id,
                    leaf.originator_id,
                    leaf.originator_version,
                )
            )
            return report
    if report.head_size is not None and report.heads_checked < len(roots):
        report.findings.append(
            Finding(
                frontier.size,
                f"missing: the signed head covers {report.head_size} records; "
                f"the log holds {frontier.size}",
            )
        )
    return report


def verify_store(tlog: TransparencyLog) -> list[LogReport]:
    """Every log, from the event store's notification log (the index on production)."""
    return [verify_log(tlog, r.log, index_events(tlog, r.log), "index") for r in _logs(tlog)]


def _logs(tlog: TransparencyLog) -> list[Any]:
    return log_ranges(tlog.recorder)


def _moved(position: int, leaf: store.LeafRow, nid: int, oid: Any, version: int) -> Finding:
    return Finding(
        position,
        f"removed, inserted or reordered: the tree holds {leaf.originator_id} "
        f"v{leaf.originator_version} (notification {leaf.notification_id}) here; "
        f"the log holds {oid} v{version} (notification {nid})",
        leaf.notification_id,
        leaf.originator_id,
        leaf.originator_version,
    )


def _tree_altered(size: int, leaf: store.LeafRow) -> Finding:
    return Finding(
        size - 1,
        f"the tree's stored hashes were altered: the first {size} records do not give the "
        "signed root",
        leaf.notification_id,
        leaf.originator_id,
        leaf.originator_version,
    )
