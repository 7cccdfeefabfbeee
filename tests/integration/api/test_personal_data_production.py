"""Personal data on the production profile: sealed in Kafka and PostgreSQL, erased by shredding."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import httpx
import psycopg
from eventsourcing.utils import Environment
from kafka import KafkaConsumer, TopicPartition
from psycopg import sql

from services.store.kafka.settings import KafkaStoreSettings
from tests.builders import cloud_event, consented, discovered, household_ref, need_raised
from tests.support import api_process as api_http

NAME, PHONE = "王小明", "13912345678"
REASON = "PIPL art. 47: the person withdrew consent and asked for deletion"


def post(api_url: str, kind: str, data: dict[str, Any]) -> httpx.Response:
    return api_http.post(
        api_url + "/v1/events",
        json=cloud_event(kind, data),
        headers={"content-type": "application/cloudevents+json"},
        timeout=30,
    )


def stored(api_url: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    response = post(api_url, kind, data)
    assert response.status_code == 201, response.text
    return dict(response.json())


def need_row(api_url: str, need_id: str, until: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        answer = api_http.get(f"{api_url}/v1/needs/{need_id}", timeout=30)
        if answer.status_code == 200 and answer.json()["description"] == until:
            return dict(answer.json())
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.1)


def kafka_log(env: dict[str, str]) -> bytes:
    settings = KafkaStoreSettings.from_env(Environment(env=env))
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None)
    parts = [TopicPartition(settings.topic, p) for p in range(settings.partitions)]
    consumer.assign(parts)
    ends = consumer.end_offsets(parts)
    consumer.seek_to_beginning(*parts)
    values: list[bytes] = []
    while any(consumer.position(p) < ends[p] for p in parts):
        for records in consumer.poll(timeout_ms=1000).values():
            values.extend(r.value for r in records)
    consumer.close()
    assert values
    return b"".join(values)


def every_table(url: str) -> str:
    """Every row of every table of the database (index, snapshots, views, tree, keys) as text."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema"
            " NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
        ).fetchall()
        text = []
        for schema, table in tables:
            query = sql.SQL("SELECT t::text FROM {}.{} t").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            text.extend(row[0] for row in conn.execute(query))
    return "\n".join(text)


def plain(secret: str) -> list[str]:
    """A value as text and as PostgreSQL's hex form of its bytes."""
    return [secret, secret.encode().hex()]


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_personal_fields_are_sealed_in_kafka_and_postgres_and_erasure_shreds_them(
    api_processes, production_env
) -> None:
    api, other = api_processes(2)
    stored(api.url, "household.discovered", discovered(note=f"neighbour {NAME}, {PHONE}"))
    need = stored(api.url, "need.raised", need_raised(description=f"call {PHONE} first"))
    stored(api.url, "household.consent.given", consented())  # sharing needs the household's yes
    referral = stored(
        api.url,
        "referral.requested",
        {"need_id": need["record_id"], "from_department": "civil-affairs",
         "to_department": "health", "note": f"ask for {NAME}"},
    )  # fmt: skip
    stored(
        api.url, "referral.accepted", {"referral_id": referral["record_id"], "department": "health"}
    )
    stored(
        api.url,
        "referral.feedback_given",
        {"referral_id": referral["record_id"], "department": "health", "content": f"{NAME} seen"},
    )
    # Another API process reads it in clear through the same key store.
    need_row(other.url, need["record_id"], f"call {PHONE} first")

    log, tables = kafka_log(production_env), every_table(production_env["DATABASE_URL"])
    for secret in (NAME, PHONE):
        assert secret.encode() not in log
        assert not any(form in tables for form in plain(secret))
    assert b"enc:v1:" in log and "enc:v1:" in tables

    stored(
        api.url,
        "household.erased",
        {"household": household_ref(), "actor": "civil-affairs", "reason": REASON},
    )
    # The other process has no copy of the key: it reads "erased" at once.
    assert need_row(other.url, need["record_id"], "[erased]")["status"] == "referred"
    refused = post(other.url, "need.raised", need_raised(description="more"))
    assert refused.status_code == 409, refused.text
    with psycopg.connect(production_env["DATABASE_URL"], autocommit=True) as conn:
        keys = conn.execute(
            "SELECT count(*), count(wrapped), count(erased_at) FROM privacy_household_keys"
        ).fetchone()
    assert keys == (1, 0, 1)

    done = cli(production_env, "verify")
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    done = cli(production_env, "rebuild")
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert need_row(api.url, need["record_id"], "[erased]")["household_id"]
