"""Keeps each partition's tree right behind the Kafka store's index (production profile).

A thread of its own listens to the index's notification channel (sent by every index
transaction, from any process, after it commits) and steps each log's tree up to what the index
holds. One statement lets PostgreSQL do the per-event work where the rows are: it frames and
hashes every indexed event after the tree's position (the same bytes as leaves.leaf_bytes, in
C), writes them into the tile rows (a partial tile is extended in place) and returns the new
leaf hashes concatenated; Python only extends the frontier (one interior hash per leaf on
average) and writes the nodes of height 8, 16 … it completed, in the same transaction.

Measured (bench/transparency.py): inside the index writer's own transaction this work was on
every batch's path (17-34 % of batch-ingest throughput); beside it, it overlaps the next batch.
The tree lags the index by one step (steps start MIN_GAP_S apart); a signed head covers only
what the tree holds, and `TransparencyLog.advance` (run before every head) takes whatever the
thread has not.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from services.transparency import store
from services.transparency.merkle import Frontier
from services.transparency.sources import leaf_hash_sql

log = logging.getLogger(__name__)
# Steps start at least this far apart: woken by every index transaction, a step per commit
# would rewrite the partial tile's rows for a few leaves each time (and every API process's
# follower would queue on the tree's lock); a step per gap takes the whole gap's leaves.
MIN_GAP_S = 0.5
_ELECTION_RETRY_S = 3.0

_STEP = """
WITH tree AS (
    SELECT size, position, frontier FROM {trees} WHERE log = %(log)s FOR UPDATE
), leaves AS (
    SELECT e.notification_id AS nid, e.originator_id::text AS oid, e.originator_version AS v,
           {leaf_hash} AS h, tree.size + row_number() OVER (ORDER BY e.notification_id) - 1 AS pos
    FROM tree, {events} AS e
    WHERE e.notification_id > tree.position AND e.notification_id <= %(high)s
    ORDER BY e.notification_id LIMIT %(limit)s
), tiles AS (
    INSERT INTO {tiles} AS old (log, tile_index, first_notification_id, hashes, events)
    SELECT %(log)s, pos / {tile}, min(nid), string_agg(h, ''::bytea ORDER BY pos),
           convert_to('[' || string_agg(format('[%%s,"%%s",%%s]', nid, oid, v), ','
                                        ORDER BY pos) || ']', 'UTF8')
    FROM leaves GROUP BY pos / {tile}
    ON CONFLICT (log, tile_index) DO UPDATE SET
        hashes = old.hashes || EXCLUDED.hashes,
        events = convert_to((convert_from(old.events, 'UTF8')::jsonb
                 || convert_from(EXCLUDED.events, 'UTF8')::jsonb)::text, 'UTF8')
)
SELECT tree.size, tree.frontier,
       (SELECT string_agg(h, ''::bytea ORDER BY pos) FROM leaves),
       (SELECT max(nid) FROM leaves)
FROM tree
"""


class TreeStep:
    """One step of a log's tree over the index, in the caller's transaction."""

    def __init__(self, schema: str, events_table: sql.Composable) -> None:
        prefix = sql.Identifier(schema).as_string() + ".tlog_"
        self._step = sql.SQL(_STEP).format(
            trees=sql.SQL(prefix + "trees"),
            tiles=sql.SQL(prefix + "tiles"),
            events=events_table,
            leaf_hash=sql.SQL(leaf_hash_sql("e.")),
            tile=sql.Literal(store.TILE),
        )
        self._nodes = (
            f"INSERT INTO {prefix}nodes (log, level, node_index, hash) VALUES (%s, %s, %s, %s)"
        )
        self._tree = (
            f"UPDATE {prefix}trees SET size = %s, position = %s, frontier = %s WHERE log = %s"
        )

    def __call__(self, conn: psycopg.Connection[Any], log: int, high: int, limit: int) -> int:
        """Append up to `limit` indexed events of the log (ids up to `high`); how many."""
        params = {"log": log, "high": high, "limit": limit}
        found = conn.execute(self._step, params, binary=True).fetchone()
        if found is None or found[2] is None:
            return 0  # no tree yet, or nothing new
        size, blob, hashes, position = found
        frontier = Frontier.decode(size, bytes(blob))
        nodes = store.extend_frontier(frontier, log, bytes(hashes))
        with conn.cursor() as cur:
            if nodes:
                cur.executemany(self._nodes, nodes)
            cur.execute(self._tree, (frontier.size, position, frontier.encode(), log))
        return int(frontier.size - size)


class IndexTreeFollower:
    """A thread stepping every log's tree whenever the index notifies a commit.

    Every process of a deployment starts one, but only one per index schema follows at a time:
    the one holding a session advisory lock on its listening connection (the others retry
    every few seconds, so another takes over when it exits). Before, every API and projector
    process stepped on every notification and queued on the tree's row lock to find nothing.
    """

    def __init__(
        self,
        pool: Any,
        schema: str,
        events_table: sql.Composable,
        channel: str,
        logs: Sequence[tuple[int, int]],  # (log, highest notification id)
        limit: int = 50_000,
        min_gap: float = MIN_GAP_S,
    ) -> None:
        self._pool = pool
        self._step = TreeStep(schema, events_table)
        self._listen = sql.SQL("LISTEN {}").format(sql.Identifier(channel))
        self._lock_name = f"zhulian tree follower {schema}"
        self._logs = list(logs)
        self._limit = limit
        self._min_gap = min_gap
        self.busy_seconds = 0.0  # spent in steps that added leaves (for the benchmark)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-follower", daemon=True)

    def start(self) -> None:
        """Start following."""
        self._thread.start()

    def close(self) -> None:
        """Stop following (the current step finishes or rolls back)."""
        self._stop.set()
        self._thread.join(timeout=10)

    def catch_up(self) -> int:
        """Step every log until its tree holds everything indexed; how many leaves were added."""
        added = 0
        for log_id, high in self._logs:
            while not self._stop.is_set():
                started = time.perf_counter()
                with self._pool.connection() as conn, conn.transaction():
                    taken = self._step(conn, log_id, high, self._limit)
                if taken:
                    self.busy_seconds += time.perf_counter() - started
                added += taken
                if taken < self._limit:
                    break
        return added

    def _elected(self, conn: psycopg.Connection[Any]) -> bool:
        """Whether this follower holds the schema's follower lock (kept while `conn` lives)."""
        row = conn.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", (self._lock_name,)
        ).fetchone()
        return bool(row and row[0])

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                kwargs = {**(self._pool.kwargs or {}), "autocommit": True}
                with psycopg.connect(self._pool.conninfo, **kwargs) as listener:
                    if not self._elected(listener):
                        self._stop.wait(_ELECTION_RETRY_S)
                        continue
                    listener.execute(self._listen)
                    while not self._stop.is_set():
                        started = time.monotonic()
                        self.catch_up()
                        rest = self._min_gap - (time.monotonic() - started)
                        if rest > 0:
                            self._stop.wait(rest)
                        for _ in listener.notifies(timeout=1.0, stop_after=1):
                            pass
            except psycopg.OperationalError as e:  # PostgreSQL away: heads wait, nothing is lost
                if self._pool.closed:
                    return  # the event store was closed without closing the tree's db
                log.warning("the transparency tree's follower lost PostgreSQL (%s); retrying", e)
                self._stop.wait(1.0)
            except Exception:
                log.exception("the transparency tree's follower failed; retrying in a second")
                self._stop.wait(1.0)
