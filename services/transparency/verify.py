"""Recompute a log's tree from what the store holds now and check it against the signed heads.

Each source (the SQLite log, the PostgreSQL index, the Kafka log) yields the log's events in
order. Position by position they are compared with what the tree took (notification id,
aggregate, version, leaf hash), and the recomputed roots with every signed head, so a record
that was modified, removed, added or moved is named: its position, its notification id and
its aggregate and version (services/transparency/checks.py). A large embedded log is checked
in parallel pieces (services/transparency/parallel.py) with the same findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.transparency import store
from services.transparency.checks import Finding, LogReport, compare, start_report
from services.transparency.log import TransparencyLog, log_ranges
from services.transparency.parallel import verify_in_pieces
from services.transparency.sources import Event

__all__ = ["Finding", "LogReport", "verify_log", "verify_store"]


def verify_log(tlog: TransparencyLog, log: int, events: Iterable[Event], source: str) -> LogReport:
    """Compare one source's events of a log with its tree and its signed heads."""
    report, roots, size = start_report(tlog, log, source)
    if report.findings:
        return report
    report.findings, report.events, report.heads_checked = compare(
        store.iter_tiles(tlog.db, log, size), events, roots
    )
    return report


def verify_store(tlog: TransparencyLog) -> list[LogReport]:
    """Every log, from the event store's own records (the index on production); a large log
    of the embedded file is checked in pieces by parallel processes (transparency.parallel)."""
    reports = []
    for r in log_ranges(tlog.recorder):
        report = verify_in_pieces(tlog, r)
        if report is None:
            report = verify_log(tlog, r.log, tlog.source.events(r.low, r.high), "index")
        reports.append(report)
    return reports
