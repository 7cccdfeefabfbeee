"""Run every store benchmark: `python -m bench` (or `make bench`).

Starts its own tansu and PostgreSQL via tests/support unless KAFKA_BOOTSTRAP_SERVERS /
DATABASE_URL name existing ones. Each benchmark prints its result and a baseline from the same run.
"""

from __future__ import annotations

import logging

from bench import batch, interactive
from tests.support.servers import kafka_broker, postgres_server


def main() -> None:
    """Start the servers once and run the benchmarks in turn."""
    logging.basicConfig(level=logging.CRITICAL)
    with kafka_broker() as broker, postgres_server() as database:
        interactive.run(broker.bootstrap_servers, database.url)
        batch.run(broker.bootstrap_servers, database.url)


if __name__ == "__main__":
    main()
