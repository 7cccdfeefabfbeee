"""Match-queue benchmark: `python -m bench.match_queue [--needs N] [--offerings M] [--store S]`.

Feeds a generated alliance (default 100,000 open needs, 10,000 offerings) into the incremental
match view, then measures, in the same run:
- reading a coordinator's queue page (county, town, village, department), p50/p95;
- the rebuild: the match view built from the whole log, beside the needs list built from the
  same log in the same store (the speed of the other views), events/s;
- how long an offering change takes to reach the affected queues (the batch that applies it),
  by the offering's coverage level, and for a capacity use that changes no verdict;
- the naive baseline: recompute every (need, candidate) verdict of a queue on each request, with
  the same pure rules over the same facts; its read time is also its change-reflection time;
- peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import percentile
from bench.match_workload import COUNTY, DEPARTMENTS, NOW, Workload, generate, towns, villages
from domain.matching.policy import DEFAULT_POLICY
from domain.matching.rules import judge_fund, judge_offering, priority
from domain.supply.model import Offering
from projections.match_queue import queries as q
from projections.match_queue.judging import fund_facts, need_facts, offering_facts
from projections.match_queue.view import MatchQueue
from projections.needs_list.view import NeedsList
from projections.runtime.sqlite_store import SQLiteViewStore
from projections.runtime.store import SqlViewStore
from projections.runtime.view import View

PAGE = 50


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Feed:
    """A log in memory, applied to the view with the runner's own step()."""

    def __init__(self, store: SqlViewStore, view: View) -> None:
        self.store, self.view = store, view
        self.log: list[tuple[int, Any]] = []

    def append(self, events: list[Any]) -> None:
        start = len(self.log)
        self.log.extend((start + i + 1, e) for i, e in enumerate(events))

    def catch_up(self, batch: int = 1000) -> None:
        def fetch(position: int) -> list[tuple[int, Any]]:
            return self.log[position : position + batch]

        while (step := self.store.step(self.view, 0, fetch)) and step.fetched:
            pass


def timed(action: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def line(label: str, samples: list[float], extra: str = "") -> str:
    return (
        f"  {label:<44} p50 {percentile(samples, 50):9.1f} ms"
        f"  p95 {percentile(samples, 95):9.1f} ms  max {max(samples):9.1f} ms{extra}"
    )


def naive_queue(store: SqlViewStore, region: str) -> list[tuple[Any, ...]]:
    """Recompute-everything: judge every open need of the region against every candidate."""
    needs = [
        n
        for n in store.fetch(
            "SELECT * FROM match_needs WHERE status = 'open' AND region_code LIKE :p",
            {"p": region + "%"},
            "match_needs",
        )
    ]
    offerings = store.fetch("SELECT * FROM match_offerings", {}, "match_offerings")
    funds = store.fetch("SELECT * FROM match_funds", {}, "match_funds")
    by_category: dict[str, list[Any]] = {}
    for o in offerings:
        by_category.setdefault(o["category"], []).append(o)
    period = f"{NOW:%Y-%m}"
    queue = []
    for n in needs:
        facts = need_facts(n)
        best = None
        for o in by_category.get(n["category"], []):
            if any(n["region_code"].startswith(a) for a in o["areas"]):
                d = judge_offering(facts, offering_facts(o, period), DEFAULT_POLICY)
                if d.eligible and (best is None or d.score > best):
                    best = d.score
        for f in funds:
            if n["region_code"].startswith(f["region_code"]):
                judge_fund(facts, fund_facts(f), DEFAULT_POLICY)
        queue.append(
            (best is not None, -priority(facts, DEFAULT_POLICY), str(n["raised_at"]), n["need_id"])
        )
    queue.sort()
    return queue[:PAGE]


@contextmanager
def open_store(kind: str) -> Iterator[SqlViewStore]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-match-") as tmp:
            store = SQLiteViewStore(Path(tmp) / "views.db")
            yield store
            store.close()
        return
    from harness.postgres import fresh_database
    from harness.servers import postgres_server
    from projections.runtime.postgres_store import PostgresViewStore

    with postgres_server() as database:
        store = PostgresViewStore(fresh_database(database.url, "benchmatch"))
        yield store
        store.close()


def change(feed: Feed, offering: Offering, rng: random.Random) -> int:
    """Set an offering's capacity to zero (every verdict on it flips); return needs touched."""
    terms = {
        "name": offering.name,
        "description": "",
        "need_type": offering.need_type,
        "category": offering.category,
        "areas": list(offering.areas),
        "location": offering.location,
        "capacity": 0,
        "unit": "person-times",
        "eligibility": offering.eligibility,
        "cost_fen": 0,
        "funding_source": "",
    }
    offering.update(by="bench", at=NOW, terms=terms)
    feed.append(offering.collect_events())
    return len(
        feed.store.fetch(
            "SELECT need_id FROM match_candidates WHERE candidate_id = :c AND live = :t",
            {"c": str(offering.id), "t": feed.store.dialect.encode("bool", True)},
            "match_candidates",
        )
    )


def run(needs: int, offerings: int, store_kind: str, naive_baseline: bool = True) -> None:
    rng = random.Random(11)
    print(
        f"match-queue benchmark · store {store_kind} · {needs:,} open needs"
        f" · {offerings:,} offerings"
    )
    started = time.perf_counter()
    workload: Workload = generate(needs, offerings)
    print(f"  generated {len(workload.events):,} events in {time.perf_counter() - started:.1f} s")
    with open_store(store_kind) as store:
        view = MatchQueue()
        store.ensure(view)
        feed = Feed(store, view)
        feed.append(workload.events)
        started = time.perf_counter()
        feed.catch_up()
        build = time.perf_counter() - started
        pairs = store.scalar("SELECT COUNT(*) FROM match_candidates", {})
        open_needs = store.scalar("SELECT COUNT(*) FROM match_queue", {})
        print(
            f"  rebuild: the match view built from the log: {build:.1f} s"
            f" ({len(feed.log) / build:,.0f} events/s); {open_needs:,} queued needs,"
            f" {pairs:,} judged pairs; RSS {rss_mb():.0f} MB"
        )
        baseline = NeedsList()
        store.ensure(baseline)
        other = Feed(store, baseline)
        other.append(workload.events)
        started = time.perf_counter()
        other.catch_up()
        plain = time.perf_counter() - started
        print(
            f"  same-run baseline: the needs list built from the same log: {plain:.1f} s"
            f" ({len(other.log) / plain:,.0f} events/s); the match view at"
            f" {plain / build:.2f}× its speed"
        )
        print("queue page reads (limit 50), incremental view:")
        all_towns, all_villages = towns(), villages()
        reads = {
            "county 330106": lambda: q.match_queue(store, region=COUNTY, limit=PAGE),
            "a town (random)": lambda: q.match_queue(
                store, region=rng.choice(all_towns), limit=PAGE
            ),
            "a village (random)": lambda: q.match_queue(
                store, region=rng.choice(all_villages), limit=PAGE
            ),
            "county + department": lambda: q.match_queue(
                store, region=COUNTY, department=rng.choice(DEPARTMENTS), limit=PAGE
            ),
            "a town, page 10": lambda: q.match_queue(
                store, region=rng.choice(all_towns), limit=PAGE, offset=9 * PAGE
            ),
        }
        read_p95 = {}
        for label, action in reads.items():
            samples = timed(action, 200)
            read_p95[label] = percentile(samples, 95)
            print(line(label, samples))
        need_ids = [r["need_id"] for r in q.match_queue(store, region=COUNTY, limit=500).items]
        print(
            line(
                "a need's candidates", timed(lambda: q.candidates(store, rng.choice(need_ids)), 200)
            )
        )

        print("offering change → affected queues updated (apply the batch that carries it):")
        change_p95 = {}
        for level, count in (("village", 40), ("town", 20), ("county", 5)):
            samples, touched = [], []
            for offering in rng.sample(workload.offerings[level], count):
                touched.append(change(feed, offering, rng))
                samples.extend(timed(feed.catch_up, 1))
            change_p95[level] = percentile(samples, 95)
            print(
                line(
                    f"{level}-level offering (capacity → 0)",
                    samples,
                    f"  ~{sum(touched) // len(touched):,} needs each",
                )
            )
        uses = []
        roomy = [o for o in workload.offerings["town"] if (o.capacity or 0) >= 20]
        for offering in rng.sample(roomy, min(100, len(roomy))):
            offering.use(period=f"{NOW:%Y-%m}", units=1, reference="bench", at=NOW)
            feed.append(offering.collect_events())
            uses.extend(timed(feed.catch_up, 1))
        print(line("a capacity use (verdicts unchanged)", uses))
        incremental_rss = rss_mb()
        print(f"  peak RSS so far (incremental view only): {incremental_rss:.0f} MB")
        if not naive_baseline:
            return

        print("naive baseline: recompute every verdict of the queue on each request:")
        naive = {
            "a village (random)": timed(lambda: naive_queue(store, rng.choice(all_villages)), 5),
            "a town (random)": timed(lambda: naive_queue(store, rng.choice(all_towns)), 3),
            "county 330106": timed(lambda: naive_queue(store, COUNTY), 1),
        }
        for label, samples in naive.items():
            ratio = percentile(samples, 95) / max(read_p95[label], 1e-6)
            print(line(label, samples, f"  ×{ratio:,.0f} the incremental read"))
        print(
            "  (naive change reflection = its read time: nothing is kept, the next request"
            " recomputes)"
        )
        print(f"peak RSS of the whole run, naive baseline included: {rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offerings", type=int, default=10_000)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--no-naive",
        action="store_true",
        help="skip the recompute-per-request baseline (minutes at full size) while iterating",
    )
    args = parser.parse_args()
    run(args.needs, args.offerings, args.store, naive_baseline=not args.no_naive)


if __name__ == "__main__":
    main()
