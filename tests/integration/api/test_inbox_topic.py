"""Department events on the Kafka inbox topic: ingested once each, every one answered."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import orjson
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from kafka import KafkaConsumer, KafkaProducer

from tests.builders import cloud_event, discovered, need_raised

STRUCTURED = [("content-type", b"application/cloudevents+json")]


def test_inbox_events_are_stored_once_and_answered_on_the_results_topic(broker, production_env):
    env = {**production_env, "ZHULIAN_INBOX_TOPIC": production_env["KAFKA_EVENTS_TOPIC"] + ".inbox"}
    inbox = env["ZHULIAN_INBOX_TOPIC"]
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
    household = cloud_event("household.discovered", discovered())
    need = need_raised()
    binary = [
        ("ce_specversion", b"1.0"),
        ("ce_id", b"hrss-77"),
        ("ce_source", b"/330106/hrss"),
        ("ce_type", b"cn.zhulian.need.raised.v1"),
        ("content-type", b"application/json"),
    ]
    for value, headers in [
        (orjson.dumps(household), STRUCTURED),
        (orjson.dumps(need), binary),
        (orjson.dumps(household), STRUCTURED),  # a resend
        (orjson.dumps(cloud_event("need.raised", need_raised(urgency="soon"))), STRUCTURED),
        (b"not an event", []),
    ]:
        producer.send(inbox, key=b"330106", value=value, headers=headers)  # one order
    producer.flush()
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.workers.inbox"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        consumer = KafkaConsumer(
            inbox + ".results",
            bootstrap_servers=broker.bootstrap_servers,
            auto_offset_reset="earliest",
            consumer_timeout_ms=1000,
        )
        answers: list[dict] = []
        deadline = time.monotonic() + 90
        while len(answers) < 5 and time.monotonic() < deadline:
            answers += [orjson.loads(m.value) for m in consumer]
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:] if worker.stderr else ""
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    answers.sort(key=lambda a: a["offset"])
    assert [a["result"] for a in answers] == [
        "stored",
        "stored",
        "duplicate",
        "rejected",
        "rejected",
    ]
    assert answers[2]["record_id"] == answers[0]["record_id"]
    assert answers[3]["problem"]["errors"][0]["field"] == "data.urgency"


def test_records_built_by_the_cloudevents_sdk_are_answered_under_clear_keys(broker, production_env):
    env = {**production_env, "ZHULIAN_INBOX_TOPIC": production_env["KAFKA_EVENTS_TOPIC"] + ".sdk"}
    inbox = env["ZHULIAN_INBOX_TOPIC"]
    fmt = JSONFormat()

    def sdk(kind: str, data: dict, event_id: str) -> CloudEvent:
        attributes = {"type": f"cn.zhulian.{kind}.v1", "source": "/330106/sdk", "id": event_id}
        return CloudEvent(
            {**attributes, "datacontenttype": "application/json; charset=utf-8"}, data
        )

    need = sdk("need.raised", need_raised(), "sdk-2")
    messages = [
        ce_kafka.to_structured(sdk("household.discovered", discovered(), "sdk-1"), fmt),
        ce_kafka.to_binary(need, fmt),
        ce_kafka.to_binary(need, fmt),  # a resend of the same event
    ]
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
    for message in messages:
        producer.send(
            inbox, key=b"330106", value=message.value, headers=list(message.headers.items())
        )
    producer.send(inbox, key=b"330106", value=b"{}", headers=[("content-type", b"text/plain")])
    producer.flush()
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.workers.inbox"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        consumer = KafkaConsumer(
            inbox + ".results",
            bootstrap_servers=broker.bootstrap_servers,
            auto_offset_reset="earliest",
            consumer_timeout_ms=1000,
        )
        answers: list = []
        deadline = time.monotonic() + 90
        while len(answers) < 4 and time.monotonic() < deadline:
            answers += [(m.key, orjson.loads(m.value)) for m in consumer]
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    answers.sort(key=lambda a: a[1]["offset"])
    assert [a["result"] for _, a in answers] == ["stored", "stored", "duplicate", "rejected"]
    assert [orjson.loads(k) for k, _ in answers[:3]] == [
        ["/330106/sdk", "sdk-1"],
        ["/330106/sdk", "sdk-2"],
        ["/330106/sdk", "sdk-2"],
    ]
    partition, offset = answers[3][1]["partition"], answers[3][1]["offset"]
    assert answers[3][0] == f"record:{partition}:{offset}".encode()
