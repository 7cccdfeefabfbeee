"""Verifying a large embedded log in pieces, in parallel processes.

The log's positions are cut into perfect subtrees of 2^16 leaves (the last piece may be
shorter); each is read, hashed and compared with the tree by a worker (pieces.check), and the
pieces' roots are combined in order into the frontier at every signed size. Every piece that
matches proves its rowid range holds exactly its positions' events; at the first piece that does
not (or whose signed root differs), the sequential check (verify.compare) runs from that piece's
first position with the frontier there, so the first bad record is named exactly as a single
sequential pass names it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from types import TracebackType

import orjson

from services.transparency import store
from services.transparency.checks import LogReport, compare, start_report, unsigned_tail
from services.transparency.db import SQLiteDb
from services.transparency.log import LogRange, TransparencyLog
from services.transparency.merkle import node_hash
from services.transparency.pieces import Checked, Piece
from services.transparency.sources import SQLiteLogSource

PIECE_HEIGHT = 16


def workers() -> int:
    """The processes to use: the CPUs this process may run on (at most 8)."""
    return min(8, len(os.sched_getaffinity(0)))


def verify_in_pieces(
    tlog: TransparencyLog,
    r: LogRange,
    piece_height: int = PIECE_HEIGHT,
    processes: int | None = None,
) -> LogReport | None:
    """The log's report, checked in parallel pieces; None when the log is not one to split (not
    the embedded file, one piece or less, one CPU)."""
    processes = processes or workers()
    source, db = tlog.source, tlog.db
    if not (isinstance(source, SQLiteLogSource) and isinstance(db, SQLiteDb)) or processes < 2:
        return None
    report, roots, size = start_report(tlog, r.log, "index")
    span = 1 << piece_height
    if report.findings or size <= span:
        return None if not report.findings else report
    pieces = _pieces(tlog, source, db, r, size, span, roots)
    top: list[bytes] = []  # the frontier's nodes above the pieces, highest first
    with _Workers(processes, pieces) as results:
        for piece, done in zip(pieces, results, strict=True):
            good = done.ok
            for cut in piece.cuts if good else ():
                if _root(top + done.stacks[cut]) != roots[cut]:
                    good = False
                    break
            if not good:
                checked = report.heads_checked
                report.findings, report.events, report.heads_checked = compare(
                    store.iter_tiles(db, r.log, size, start=piece.start),
                    source.events(piece.low_id, r.high),
                    roots,
                    piece.start,
                    list(top),
                    checked,
                )
                return report
            report.heads_checked += len(piece.cuts)
            report.events += done.events
            if piece.end - piece.start == span:
                h, bits = done.stacks[piece.end][0], piece.start >> piece_height
                while bits & 1:
                    h = node_hash(top.pop(), h)
                    bits >>= 1
                top.append(h)
    report.findings = unsigned_tail(size, roots)
    return report


def _pieces(
    tlog: TransparencyLog,
    source: SQLiteLogSource,
    db: SQLiteDb,
    r: LogRange,
    size: int,
    span: int,
    roots: dict[int, bytes],
) -> list[Piece]:
    starts = list(range(0, size, span))
    with tlog.db.tx() as tx:
        found = dict(
            tx.rows(
                "SELECT tile_index, first_notification_id FROM {t}tiles WHERE log = %s "
                "AND tile_index % %s = 0",
                (r.log, span // store.TILE),
            )
        )
    lows = [r.low] + [found.get(s // store.TILE, r.high) for s in starts[1:]]
    highs = [low - 1 for low in lows[1:]] + [r.high]
    return [
        Piece(
            source.path,
            source.table,
            db.path,
            r.log,
            start,
            min(start + span, size),
            low,
            high,
            tuple(sorted(c for c in roots if start < c <= min(start + span, size))),
        )
        for start, low, high in zip(starts, lows, highs, strict=True)
    ]


def _root(nodes: list[bytes]) -> bytes:
    h = nodes[-1]
    for left in reversed(nodes[:-1]):
        h = node_hash(left, h)
    return h


class _Workers:
    """Worker processes, each given every n-th piece; their outcomes read back in piece order."""

    def __init__(self, processes: int, pieces: list[Piece]) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
        }
        self._procs = [
            subprocess.Popen(
                [sys.executable, "-m", "services.transparency.pieces"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
            for _ in range(min(processes, len(pieces)))
        ]
        self._pieces = pieces
        for i, proc in enumerate(self._procs):  # fed by threads: no pipe can fill both ways
            work = b"".join(orjson.dumps(asdict(p)) + b"\n" for p in pieces[i :: len(self._procs)])
            threading.Thread(target=_feed, args=(proc, work), daemon=True).start()

    def __enter__(self) -> Iterator[Checked]:
        return self._results()

    def _results(self) -> Iterator[Checked]:
        for i in range(len(self._pieces)):
            stdout = self._procs[i % len(self._procs)].stdout
            assert stdout is not None
            line = stdout.readline()
            if not line:  # a worker that died: the sequential pass takes over from here
                yield Checked(False, 0, {})
                continue
            out = orjson.loads(line)
            stacks = {int(c): [bytes.fromhex(h) for h in hs] for c, hs in out["stacks"].items()}
            yield Checked(out["ok"], out["events"], stacks)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _feed(proc: subprocess.Popen[bytes], work: bytes) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(work)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # the worker was stopped early
