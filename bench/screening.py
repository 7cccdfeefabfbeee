"""Screening at scale, on the embedded profile (SQLite log and views), baselines in the same run.

`python -m bench.screening [--households 100000]`:
1. a list of N rows compared and its hits on the alerts queue (the view caught up), against the
   same code with one event per row (measured on a tenth of the rows, scaled up);
2. 20 rules over N households' facts (one joined CEL call per household, only the facts the rules
   name), against judging each rule alone over the whole fact map (a tenth, scaled up);
3. a what-if over the whole log, against the naive replay: rebuilding the alerts view from zero.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.alliance import Alliance
from domain.households.model import Household
from domain.screening import application as screening_app
from domain.screening.facts import HouseholdFacts
from domain.screening.rules import Rule, RuleSet, satisfies
from harness.households import generate
from projections.alerts.view import Alerts
from projections.alerts.whatif import run_what_if
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


def fill(app: Alliance, n: int) -> list[str]:
    """N household files written straight to the log (setup, not measured)."""
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
        keys.append(h.key)
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


def main() -> None:
    """Run the three measurements and print each with its baseline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    n = parser.parse_args().households
    root = Path(tempfile.mkdtemp(prefix="bench-screening-"))
    app = Alliance(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(root / "events.db")}
    )
    store = SQLiteViewStore(str(root / "views.db"))
    view = Alerts()
    runner = Runner(app.recorder, app.mapper, store, [view])
    started = time.perf_counter()
    keys = fill(app, n)
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
    runner.catch_up()

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

    # 3. what-if over the whole log, against rebuilding the view from zero
    head = app.recorder.max_notification_id() or 0
    draft = [Rule("example", 0, "stricter", FAST_EXAMPLE + " && people >= 3")]
    started = time.perf_counter()
    (result,) = run_what_if(app.recorder, app.mapper, draft, "330106", [datetime.now(UTC)])
    what_if = time.perf_counter() - started
    scratch = SQLiteViewStore(str(root / "scratch.db"))
    started = time.perf_counter()
    Runner(app.recorder, app.mapper, scratch, [Alerts()]).catch_up()
    replay = time.perf_counter() - started
    scratch.close()
    print(
        f"what-if over a log of {head:,} events: {what_if:.1f}s"
        f" ({result['rules'][0]['households']:,} households); naive replay (the alerts view"
        f" rebuilt from zero): {replay:.1f}s ({replay / what_if:.1f}×); peak RSS {_rss_mb():.0f} MB"
    )
    store.close()
    app.close()


if __name__ == "__main__":
    main()
