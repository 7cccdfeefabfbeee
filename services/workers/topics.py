"""One-shot topic set-up: the events topic (the log of record) and the departments' inbox topics.

    python -m services.workers.topics   # settings from the environment; exits 0 when all exist

Run once before the other processes (compose's `topics` service, the Kubernetes Job). The events
topic is created or verified exactly as the store does at start-up (partitions, cleanup.policy,
retention.ms, min.insync.replicas); the inbox and its results topic are created when missing
with the same replication and min.insync.replicas, and a retention of INBOX_RETENTION_MS (they
are transport, not the record: the record is the events topic).
"""

from __future__ import annotations

import logging
import os

from eventsourcing.utils import Environment
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from services import exits
from services.observability import logs
from services.secret_files import load_secret_files
from services.store.errors import StoreUnavailableError
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.topic import ensure_topic, required_min_insync
from services.workers.settings import WorkerSettings

log = logging.getLogger(__name__)
INBOX_RETENTION_MS = 30 * 24 * 3600 * 1000


def ensure_inbox_topics(settings: KafkaStoreSettings, worker: WorkerSettings) -> list[str]:
    """Create the inbox topic and its results topic when missing; return the names created."""
    partitions = worker.inbox_partitions or settings.partitions
    configs = {
        "cleanup.policy": "delete",
        "retention.ms": str(INBOX_RETENTION_MS),
        "min.insync.replicas": str(required_min_insync(settings.replication_factor)),
    }
    names = [worker.inbox_topic, f"{worker.inbox_topic}.results"]
    admin = KafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers,
        request_timeout_ms=int(settings.produce_timeout_s * 1000),
        bootstrap_timeout_ms=int(settings.produce_timeout_s * 1000),
    )
    created = []
    try:
        existing = set(admin.list_topics())
        for name in names:
            if name in existing:
                continue
            try:
                admin.create_topics(
                    [NewTopic(name, partitions, settings.replication_factor, topic_configs=configs)]
                )
                created.append(name)
            except TopicAlreadyExistsError:
                pass  # created by someone else meanwhile
    except KafkaError as error:
        raise StoreUnavailableError(
            f"Kafka broker {settings.bootstrap_servers} failed while creating {names}: {error}"
        ) from error
    finally:
        admin.close()
    return created


def _run() -> None:
    load_secret_files()
    settings = KafkaStoreSettings.from_env(Environment(env=dict(os.environ)))
    worker = WorkerSettings()
    ensure_topic(settings)
    created = ensure_inbox_topics(settings, worker)
    log.info(
        "topics ready: %s (%d partitions, replication %d, min.insync.replicas %d); created %s",
        ", ".join([settings.topic, worker.inbox_topic, f"{worker.inbox_topic}.results"]),
        settings.partitions,
        settings.replication_factor,
        required_min_insync(settings.replication_factor),
        created or "none of the inbox topics",
    )


def main() -> None:
    """Create or verify every topic; one line and an exit code when that is impossible."""
    logs.configure()
    exits.run(_run, "zhulian-topics")


if __name__ == "__main__":
    main()
