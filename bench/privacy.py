"""The cost of sealing personal fields on batch ingest, against the same batch without them.

`python -m bench.privacy [--households 1000] [--rounds 3] [--profile embedded|production]`.
Each household is two events whose personal fields are optional: a discovery (note) and a
temporary-assistance grant (reason). Three batches, in alternating rounds on fresh stores:

- sealed: notes and reasons (a name, a phone, ~40 characters), sealed with the household's key;
- unsealed: the same notes and reasons stored as given (the key store switched off);
- baseline: the same events without notes and reasons.

The sealed / unsealed ratio is the cost of the encryption and the key store alone; sealed /
baseline is what a department sees. Medians of the rounds are printed, by wall clock and by the
process's CPU time (other jobs on a shared machine move the first far more than the second);
and the share of the sealed runs' wall-clock time spent inside the sealing itself (sealing each
value at ingest and storing a unit's new keys), which is the figure least moved by load.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import village
from services.container import Container
from services.ingest.service import Ingestor
from services.privacy.keystore import KeySession
from services.privacy.sealing import Sealing
from services.secrets import new_secret
from services.settings import Settings

VARIANTS = ("sealed", "unsealed", "baseline")


def batch(households: int, tag: str, personal: bool) -> list[dict[str, Any]]:
    """Two events per household; with `personal`, each carries a note or a reason."""
    events: list[dict[str, Any]] = []
    for i in range(households):
        household = {"registration_number": f"{tag}{i:09d}"}
        note = {"note": f"邻居王小明来电 13912345{i % 1000:03d}，独居老人腿肿"} if personal else {}
        reason = {"reason": f"住院费用 {i} 元，王小明之父"} if personal else {}
        common = {"specversion": "1.0", "source": "/330106/bench/privacy"}
        events.append(
            {
                **common,
                "id": f"{tag}-d-{i}",
                "type": "cn.zhulian.household.discovered.v2",
                "data": {
                    "household": household,
                    "region_code": village(i),
                    "channel": "grid_worker",
                    "actor": "grid-worker-wang",
                    "members": [{"relation": "head", "birth_year": 1940 + i % 60}],
                    **note,
                },
            }
        )
        events.append(
            {
                **common,
                "id": f"{tag}-t-{i}",
                "type": "cn.zhulian.household.temporary_assistance_granted.v1",
                "data": {
                    "household": household,
                    "amount_yuan": "2500.00",
                    "actor": "civil-affairs",
                    **reason,
                },
            }
        )
    return events


@contextmanager
def stores(profile: str) -> Iterator[Any]:
    """A function giving fresh settings for each run on this profile."""
    secrets: dict[str, Any] = {
        "household_secret": new_secret(),
        "log_signing_key": new_secret(),
        "master_key": new_secret(),
    }
    common: dict[str, Any] = {"demo": False, "run_projections": False, "tree_head_interval": 0}
    if profile == "embedded":
        with tempfile.TemporaryDirectory() as scratch:
            runs = iter(range(1_000_000))

            def fresh() -> Settings:
                return Settings(data_dir=Path(scratch) / str(next(runs)), **common, **secrets)

            yield fresh
        return
    from bench.common import kafka_store_env
    from harness.servers import kafka_broker, postgres_server

    with kafka_broker() as broker, postgres_server() as database:

        def fresh_production() -> Settings:
            os.environ.update(kafka_store_env(broker.bootstrap_servers, database.url))
            return Settings(profile="production", database_url=database.url, **common, **secrets)

        yield fresh_production


SPENT = {"sealing": 0.0}


def _timed(method: Any) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            SPENT["sealing"] += time.perf_counter() - started

    return timed


Sealing.protect = _timed(Sealing.protect)  # type: ignore[method-assign]
KeySession.flush = _timed(KeySession.flush)  # type: ignore[method-assign]


def run_once(settings: Settings, variant: str, households: int, tag: str) -> dict[str, float]:
    """Events/s (wall clock and CPU) of one batch ingest of this variant on fresh stores."""
    container = Container(settings)
    try:
        keys = container.keys if variant == "sealed" else None
        ingestor = Ingestor(container.app, container.keyring, keys=keys)
        events = batch(households, tag, personal=variant != "baseline")
        SPENT["sealing"] = 0.0
        started, cpu = time.perf_counter(), time.process_time()
        results = ingestor.submit_batch(events)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert all(r.status == 201 for r in results), results[0].as_json()
    finally:
        container.close()
    return {
        "wall": len(events) / elapsed,
        "cpu": len(events) / cpu,
        "share": SPENT["sealing"] / elapsed,
    }


def main() -> None:
    """Alternate the three variants, print the medians and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=["embedded", "production"], default="embedded")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    runs: dict[str, list[dict[str, float]]] = {v: [] for v in VARIANTS}
    with stores(args.profile) as fresh:
        for round_ in range(args.rounds):
            for variant in VARIANTS:
                run = run_once(fresh(), variant, args.households, f"R{round_}{variant[0]}")
                runs[variant].append(run)
                print(
                    f"  round {round_ + 1} {variant:>8}: {run['wall']:,.0f} events/s,"
                    f" {run['cpu']:,.0f} per CPU-second",
                    flush=True,
                )

    def median(variant: str, measure: str) -> float:
        return statistics.median(r[measure] for r in runs[variant])

    print(f"batch ingest, {args.profile}, {2 * args.households:,} events per batch (median)")
    for variant in VARIANTS:
        print(
            f"  {variant:>8}: {median(variant, 'wall'):,.0f} events/s,"
            f" {median(variant, 'cpu'):,.0f} per CPU-second"
        )
    for measure in ("wall", "cpu"):
        sealed = median("sealed", measure)
        print(
            f"  {measure}: sealed / unsealed = {sealed / median('unsealed', measure):.2f},"
            f" sealed / baseline = {sealed / median('baseline', measure):.2f}"
        )
    print(f"  time inside sealing: {median('sealed', 'share'):.1%} of the sealed ingest")


if __name__ == "__main__":
    main()
