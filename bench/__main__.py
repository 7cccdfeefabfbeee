"""Run every benchmark: `python -m bench` (or `make bench`).

Starts its own tansu and PostgreSQL via tests/support unless KAFKA_BOOTSTRAP_SERVERS /
DATABASE_URL name existing ones. Each benchmark prints its result and a baseline from the same run.
"""

from __future__ import annotations

import logging

from bench import batch, interactive, lag, rebuild
from harness.servers import kafka_broker, postgres_server


def main() -> None:
    """Start the servers once and run the benchmarks in turn."""
    logging.basicConfig(level=logging.CRITICAL)
    with kafka_broker() as broker, postgres_server() as database:
        interactive.run(broker.bootstrap_servers, database.url)
        batch.run(broker.bootstrap_servers, database.url)
        rebuild.run(database.url, events=1_000_000, baseline_events=100_000)
        lag.run(database.url, rate=1000, seconds=30)


if __name__ == "__main__":
    main()
