"""Tamper evidence on the production profile: the Kafka log, the PostgreSQL index, the tree."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from typing import Any

import psycopg
from eventsourcing.utils import Environment
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from psycopg import sql

from services.settings import Settings
from services.store.kafka import KafkaFactory
from services.store.kafka.settings import KafkaStoreSettings
from services.transparency.kafka_log import partition_events
from services.transparency.setup import open_transparency
from services.transparency.verify import verify_log
from tests.builders import cloud_event
from tests.support import api_process as api_http
from tests.support.rfc9162 import hash_leaf, verify_head_signature, verify_inclusion
from tests.support.servers import unique_topic


def _b(text: str) -> bytes:
    return base64.b64decode(text)


def stored(api_url: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    response = api_http.post(
        api_url + "/v1/events",
        json=cloud_event(kind, data),
        headers={"content-type": "application/cloudevents+json"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def donations(api_url: str) -> dict[str, Any]:
    fund = stored(
        api_url,
        "fund.opened",
        {"name": "Community fund", "region_code": "330106", "managed_by": "charity-federation"},
    )
    edited = {}
    for donor, yuan in (("Lvyuan Co.", "1000.01"), ("Zhang Wei", "20.00"), ("Li Na", "3.00")):
        answer = stored(
            api_url,
            "fund.donation_received",
            {
                "fund_id": fund["record_id"],
                "donor": donor,
                "donor_kind": "individual",
                "recorded_by": "cf",
                "amount_yuan": yuan,
            },
        )
        edited = answer if donor == "Lvyuan Co." else edited
    return edited


def verify_cli(env: dict[str, str]) -> tuple[int, list[dict[str, Any]], str]:
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "verify"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, reports, done.stdout + done.stderr[-2000:]


def test_a_donation_edited_in_the_index_is_named_while_the_kafka_log_still_verifies(
    api_processes, production_env
) -> None:
    (api,) = api_processes(1)
    donation = donations(api.url)
    head = api_http.post(api.url + "/v1/transparency/heads", timeout=30).json()["heads"][0]
    key = api_http.get(api.url + "/v1/transparency/key").json()
    assert verify_head_signature(
        key["public_key"],
        head["log"],
        head["tree_size"],
        head["timestamp"],
        _b(head["root_hash"]),
        _b(head["signature"]),
    )
    proof = api_http.get(
        api.url + "/v1/transparency/proofs/inclusion",
        params={"aggregate_id": donation["record_id"], "version": donation["version"]},
    ).json()
    assert verify_inclusion(
        proof["leaf_index"],
        head["tree_size"],
        hash_leaf(_b(proof["leaf_data"])),
        [_b(p) for p in proof["audit_path"]],
        _b(head["root_hash"]),
    )
    code, reports, out = verify_cli(production_env)
    assert code == 0, out
    assert {r["source"] for r in reports} == {"index", "kafka"}

    schema = sql.Identifier(production_env["KAFKA_INDEX_SCHEMA"])
    with psycopg.connect(production_env["DATABASE_URL"], autocommit=True) as conn:
        changed = conn.execute(
            sql.SQL(
                "UPDATE {}.store_events SET state = convert_to(replace(convert_from(state, "
                "'UTF8'), '100001', '900001'), 'UTF8') WHERE position('100001'::bytea in state) > 0"
            ).format(schema)
        ).rowcount
    assert changed == 1  # 1,000.01 yuan -> 9,000.01 yuan, in fen

    report = api_http.get(api.url + "/v1/transparency/verify", timeout=60).json()
    finding = report["logs"][0]["findings"][0]
    assert (finding["aggregate"], finding["version"]) == (
        donation["record_id"],
        donation["version"],
    )
    code, reports, out = verify_cli(production_env)
    assert code == 1, out
    by_source = {r["source"]: r for r in reports}
    assert by_source["kafka"]["ok"] is True
    assert by_source["index"]["findings"][0]["aggregate"] == donation["record_id"]
    assert f"position {finding['position']}" in out


def test_a_kafka_log_replaced_by_an_edited_copy_is_named(
    api_processes, production_env, monkeypatch
) -> None:
    (api,) = api_processes(1)
    donation = donations(api.url)
    api_http.post(api.url + "/v1/transparency/heads", timeout=30)
    settings = KafkaStoreSettings.from_env(Environment(env=production_env))
    copy = unique_topic("forged")
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None)
    tp = TopicPartition(settings.topic, 0)
    consumer.assign([tp])
    end = consumer.end_offsets([tp])[tp]
    consumer.seek(tp, 0)
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
    copied = 0
    while copied < end:
        for records in consumer.poll(timeout_ms=1000).values():
            for r in records:
                producer.send(
                    copy, value=r.value.replace(b"100001", b"900001"), key=r.key, partition=0
                )
                copied += 1
    producer.flush()
    consumer.close()
    producer.close()

    for name, value in production_env.items():
        monkeypatch.setenv(name, value)
    factory = KafkaFactory(production_env)
    try:
        tlog = open_transparency(Settings(), factory.application_recorder())
        forged = KafkaStoreSettings.from_env(
            Environment(env={**production_env, "KAFKA_EVENTS_TOPIC": copy})
        )
        report = verify_log(tlog, 0, partition_events(forged, 0), "kafka")
        honest = verify_log(tlog, 0, partition_events(settings, 0), "kafka")
    finally:
        factory.close()
    assert honest.ok
    assert not report.ok
    assert (report.findings[0].aggregate, report.findings[0].version) == (
        donation["record_id"],
        donation["version"],
    )
