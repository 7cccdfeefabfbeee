"""Screening at scale, on the embedded profile (SQLite log and views), baselines in the same run.

`python -m bench.screening [--households 100000]`:
1. a list of N rows compared and its hits on the alerts queue (the view caught up), against the
   same code with one event per row (measured on a tenth of the rows, scaled up);
2. 20 rules over N households' facts (one joined CEL call per household, only the facts the rules
   name), against judging each rule alone over the whole fact map (a tenth, scaled up);
3. a what-if over a log of `--events` events (the households' later case histories appended),
   reading the stored JSON straight into the facts fold, against the same fold over events
   decoded by eventsourcing's mapper (over the log's first `--naive-events`, scaled up).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from bench.screening_log import append_history
from domain.alliance import Alliance
from domain.households.model import Household
from domain.screening import application as screening_app
from domain.screening.facts import HouseholdFacts
from domain.screening.rules import Rule, RuleSet, satisfies
from domain.screening.whatif import what_if, what_if_named
from harness.households import generate
from projections.alerts.view import Alerts
from projections.alerts.whatif import events_until, named_events_until
from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore

FAST_EXAMPLE = 'monitoring_risk == "not_eliminated" && disabled > 0 && !("dibao" in statuses)'


def twenty_rules() -> list[Rule]:
    """The six standing checks, the example rule and 13 variants over the flat facts."""
    from domain.screening.packs import pack_rules

    rules = [*pack_rules("standing-checks"), Rule("example", 1, "example", FAST_EXAMPLE)]
    for i in range(13):
        expression = f'people > {i % 4} && (disabled > 0 || "dibao" in statuses) && circle < {i}'
        rules.append(Rule(f"variant-{i}", 1, f"variant {i}", expression))
    return rules


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(app: Alliance, n: int) -> list[tuple[str, str, int, list[dict[str, Any]]]]:
    """N household files written straight to the log (setup, not measured): each household's
    key, region, version and members."""
    keys = []
    pending: list[Any] = []
    now = datetime.now(UTC)
    for h in generate(n, seed=99):
        household = Household(
            household_key=h.key,
            region_code=h.region,
            channel="data_comparison",
            reported_by="civil-affairs",
            discovered_at=now,
            members=h.members,
            note="",
        )
        if h.dibao:
            household._grant(status="dibao", by="civil-affairs", granted_at=now)
        pending += household.collect_events()
        keys.append((h.key, h.region, 2 if h.dibao else 1, h.members))
        if len(pending) >= 5000:
            app.recorder.insert_events([app.mapper.to_stored_event(e) for e in pending])
            pending = []
    if pending:
        app.recorder.insert_events([app.mapper.to_stored_event(e) for e in pending])
    return keys


def compare(app: Alliance, name: str, keys: list[str], seed: int) -> float:
    rng = random.Random(seed)
    rows = [(k, {"risk": "not_eliminated" if rng.random() < 0.5 else "eliminated"}) for k in keys]
    started = time.perf_counter()
    app.compare_list(
        region_code="330106",
        department="rural-revitalization",
        list_name=name,
        edition="2026-10",
        rows=rows,
        at=datetime.now(UTC),
    )
    return time.perf_counter() - started


def lists_and_rules(app: Alliance, runner: Runner, store: SQLiteViewStore, keys: list[str]) -> None:
    """Measurements 1 and 2: the list on the queue, then 20 rules over the households."""
    n = len(keys)
    # 1. the list compared, then the view caught up (hits on the queue)
    written = compare(app, "monitoring", keys, 1)
    started = time.perf_counter()
    runner.catch_up()
    applied = time.perf_counter() - started
    alerts = store.scalar("SELECT COUNT(*) FROM screening_alerts", {})
    sample = keys[: n // 10]
    chunk, screening_app.CHUNK = screening_app.CHUNK, 1
    try:
        naive_write = compare(app, "monitoring-naive", sample, 2)
    finally:
        screening_app.CHUNK = chunk
    started = time.perf_counter()
    runner.catch_up()
    naive_apply = time.perf_counter() - started
    scale = n / len(sample)
    print(
        f"list of {n:,} rows: compared and recorded {written:.1f}s + alerts view {applied:.1f}s"
        f" = {written + applied:.1f}s, {alerts:,} alerts on the queue; one event per row:"
        f" {naive_write + naive_apply:.1f}s for {len(sample):,} rows → "
        f"{(naive_write + naive_apply) * scale:.0f}s scaled to {n:,}"
        f" ({(naive_write + naive_apply) * scale / (written + applied):.1f}×)"
    )

    # 2. 20 rules over every household's facts
    facts = [
        HouseholdFacts.from_json(r["state"])
        for r in store.fetch("SELECT state FROM screening_facts", {}, "screening_facts")
    ]
    rules = twenty_rules()
    rule_set = RuleSet(rules)
    now = datetime.now(UTC)
    started = time.perf_counter()
    hits = sum(sum(rule_set.evaluate(f, now)) for f in facts)
    joined = time.perf_counter() - started
    few = facts[: len(facts) // 10]
    started = time.perf_counter()
    for f in few:
        values = f.as_cel(now)
        for rule in rules:
            satisfies(rule.expression, values)
    naive = (time.perf_counter() - started) * len(facts) / len(few)
    print(
        f"20 rules × {len(facts):,} households: {joined:.1f}s ({hits:,} hits); each rule alone"
        f" over the whole fact map: {naive:.1f}s scaled from {len(few):,} ({naive / joined:.1f}×)"
    )


def main() -> None:
    """Run the three measurements and print each with its baseline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000, help="the what-if's log")
    parser.add_argument("--naive-events", type=int, default=100_000, help="baseline's prefix")
    parser.add_argument("--what-if-only", action="store_true", help="skip measurements 1 and 2")
    args = parser.parse_args()
    n = args.households
    root = Path(tempfile.mkdtemp(prefix="bench-screening-"))
    app = Alliance(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(root / "events.db")}
    )
    store = SQLiteViewStore(str(root / "views.db"))
    view = Alerts()
    runner = Runner(app.recorder, app.mapper, store, [view])
    started = time.perf_counter()
    files = fill(app, n)
    keys = [key for key, *_ in files]
    if not args.what_if_only:
        runner.catch_up()
    print(f"setup: {n:,} households written and folded in {time.perf_counter() - started:.0f}s")
    app.adopt_rule(
        region_code="330106",
        rule_id="example",
        name="example",
        expression=FAST_EXAMPLE,
        reason="bench",
        by="civil-affairs",
        at=datetime.now(UTC),
    )
    if args.what_if_only:
        compare(app, "monitoring", keys, 1)  # the list the rules read, without the view
    else:
        runner.catch_up()
        lists_and_rules(app, runner, store, keys)

    # 3. what-if over a log of --events events, against the same fold through the mapper
    started = time.perf_counter()
    head = append_history(app, files, args.events)
    print(f"setup: log extended to {head:,} events in {time.perf_counter() - started:.0f}s")
    draft = [Rule("example", 0, "stricter", FAST_EXAMPLE + " && people >= 3")]
    at = datetime.now(UTC) + timedelta(minutes=5)
    folded = 0

    def counted(events: Iterator[Any]) -> Iterator[Any]:
        nonlocal folded
        for e in events:
            folded += 1
            yield e

    started, cpu = time.perf_counter(), time.process_time()
    named = counted(named_events_until(app.recorder, app.mapper, at))
    (result,) = what_if_named(named, draft, "330106", [at])
    what_if_s, what_if_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    prefix = islice(events_until(app.recorder, app.mapper, at), args.naive_events)
    (naive_result,) = what_if(prefix, draft, "330106", [at])
    scale = folded / min(args.naive_events, folded)
    naive_s = (time.perf_counter() - started) * scale
    naive_cpu = (time.process_time() - cpu) * scale
    same = "same answer" if naive_result == result else "a prefix: answers not compared"
    print(
        f"what-if over a log of {head:,} events ({folded:,} of them folded, the rest left out"
        f" by topic): {what_if_s:.1f}s, {what_if_cpu:.1f}s of CPU"
        f" ({result['rules'][0]['households']:,} households,"
        f" {result['rules'][0]['in_force']['households']:,} under the rule in force);"
        f" each event decoded by eventsourcing's mapper: {naive_s:.0f}s, {naive_cpu:.1f}s of CPU,"
        f" scaled from the first"
        f" {min(args.naive_events, folded):,} ({naive_s / what_if_s:.1f}×,"
        f" CPU {naive_cpu / what_if_cpu:.1f}×, {same});"
        f" peak RSS {_rss_mb():.0f} MB"
    )
    store.close()
    app.close()


if __name__ == "__main__":
    main()
