"""A department's batch over HTTP (the target names 100,000 events), acknowledged and indexed.

`python -m bench.http_batch [--profile embedded|production] [--events 20000]`. Starts the API
as its own process (`zhulian serve`; production: a tansu broker and PostgreSQL started here,
views left to projector workers as deploy/ runs them), posts the events as batches of 10,000
(`application/cloudevents-batch+json`), one after another, and reports events/s from the first
request to the last answer. An answer on Kafka means the broker acked and the index decided.

Baseline, same run and store: the same kind of events through the pre-batch path, one command
and one commit per event (`Ingestor.submit`, in this process, on a sample).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from bench.common import peak_rss_mb, request_headers, villages
from bench.processes import sign_in_as, start_api
from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring
from services.ingest.service import Ingestor
from services.secrets import new_secret

BATCH = {"content-type": "application/cloudevents-batch+json"}
PER_REQUEST = 10_000
SECRET = new_secret()  # a production-grade household secret, fresh per run


def events(n: int, tag: str) -> list[dict[str, Any]]:
    """A department's discoveries: one household each, villages across one county."""
    codes = villages()  # looked up once: bench.common.village scans the county on every call
    return [
        {
            "specversion": "1.0",
            "id": f"{tag}-{i}",
            "source": "/330106/civil-affairs/sweep",
            "type": "cn.zhulian.household.discovered.v1",
            "time": "2026-11-20T09:30:00+08:00",
            "data": {
                "household": {"registration_number": f"{tag}{i:09d}"},
                "region_code": codes[i % len(codes)],
                "channel": "data_comparison",
                "reported_by": "civil-affairs",
                "members": [{"relation": "head", "birth_year": 1940 + i % 60}],
            },
        }
        for i in range(n)
    ]


@contextmanager
def profile_env(
    profile: str, views: str = "false"
) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """The API's environment and the baseline's event-store environment, on fresh stores."""
    if profile == "embedded":
        with tempfile.TemporaryDirectory() as api_dir, tempfile.TemporaryDirectory() as base:
            yield (
                # Views in `zhulian serve`'s view-worker child (the embedded profile's default);
                # `--views-in-api` applies them in the API process itself.
                {
                    "ZHULIAN_DATA_DIR": api_dir,
                    "ZHULIAN_DEMO": "false",
                    "ZHULIAN_VIEW_WORKER": "inline" if views == "true" else "process",
                },
                {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{base}/e.db"},
            )
        return
    from bench.common import kafka_store_env
    from harness.servers import kafka_broker, postgres_server

    with kafka_broker() as broker, postgres_server() as database:
        store = kafka_store_env(broker.bootstrap_servers, database.url)
        api = {
            **store,
            "ZHULIAN_PROFILE": "production",
            "ZHULIAN_HOUSEHOLD_SECRET": SECRET,
            "ZHULIAN_LOG_SIGNING_KEY": new_secret(),
            "ZHULIAN_MASTER_KEY": new_secret(),
            "ZHULIAN_RUN_PROJECTIONS": "false",
        }
        yield api, kafka_store_env(broker.bootstrap_servers, database.url)


def baseline(store_env: dict[str, str], sample: int) -> float:
    """Events/s of one command and one commit per event, in this process."""
    app = Alliance(env=store_env)
    ingestor = Ingestor(app, HouseholdKeyring({1: SECRET}, 1))
    items = events(sample, "base")
    started = time.perf_counter()
    for item in items:
        result = ingestor.submit(item)
        assert result.problem is None, result.problem
    rate = sample / (time.perf_counter() - started)
    app.close()
    return rate


def run(profile: str, total: int, sample: int, views_in_api: bool = False) -> None:
    """Print the batch rate over HTTP beside the one-by-one baseline."""
    with profile_env(profile, "true" if views_in_api else "false") as (api_env, store_env):
        env = {
            **api_env,
            "ZHULIAN_HOUSEHOLD_SECRET": SECRET,
            "ZHULIAN_LOG_SIGNING_KEY": new_secret(),
            "ZHULIAN_MASTER_KEY": new_secret(),
            "ZHULIAN_TOKEN_SIGNING_KEYS": "bench=" + new_secret(),
        }
        api = start_api(env)
        sign_in_as(api, env, "civil-affairs")  # the events' actor (data.reported_by)
        try:
            items = events(total, "hh")
            requests = [items[i : i + PER_REQUEST] for i in range(0, total, PER_REQUEST)]
            stored = 0
            with httpx.Client(base_url=api.url, timeout=600) as client:
                started = time.perf_counter()
                for body in requests:
                    answer = client.post("/v1/events", json=body, headers=request_headers(BATCH))
                    answer.raise_for_status()
                    stored += answer.json()["stored"]
                seconds = time.perf_counter() - started
            rss = peak_rss_mb(api.process.pid)
        finally:
            api.stop()
        base = baseline(store_env, sample)
    rate = total / seconds
    views = (
        ("in the API process" if views_in_api else "in the view-worker child process")
        if profile == "embedded"
        else "left to projectors"
    )
    print(f"profile: {profile}; {total:,} events in {len(requests)} requests of {PER_REQUEST:,}")
    print(f"  views {views}")
    print(f"  stored {stored:,} in {seconds:.1f}s: {rate:,.0f} events/s; API peak RSS {rss:.0f} MB")
    print(f"  baseline, one commit per event ({sample:,}): {base:,.0f} events/s")
    print(f"  ratio {rate / base:.1f}x")


def main() -> None:
    """Parse arguments and run."""
    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", choices=["embedded", "production"], default="embedded")
    # 100,000 is the workload; at today's rate it takes several minutes per profile.
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--baseline-sample", type=int, default=2_000)
    parser.add_argument("--views-in-api", action="store_true", help="embedded: apply views too")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", os.getcwd())
    run(args.profile, args.events, args.baseline_sample, args.views_in_api)


if __name__ == "__main__":
    main()
