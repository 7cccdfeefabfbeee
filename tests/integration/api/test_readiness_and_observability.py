"""Readiness tells the truth on the production profile: real broker, real PostgreSQL failures."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from kafka import KafkaProducer
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from tests.builders import cloud_event, discovered
from tests.support import api_process as api_http
from tests.support.api_process import start_api
from tests.support.postgres import Database
from tests.support.tansu import start_tansu

STRUCTURED = {"content-type": "application/cloudevents+json"}


def eventually(probe: Callable[[], Any], until: Callable[[Any], bool], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except httpx.HTTPError as error:
            value = error
        if not isinstance(value, Exception) and until(value):
            return value
        assert time.monotonic() < deadline, f"not reached within {timeout}s: {value!r}"
        time.sleep(0.3)


def ready(url: str) -> httpx.Response:
    return api_http.get(url + "/readyz", timeout=30)


def test_a_working_stack_is_ready_and_its_metrics_name_kafka_and_the_index(api_processes) -> None:
    (api,) = api_processes(1)
    answer = ready(api.url)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()["checks"]) == {"broker", "database", "index", "log", "views"}
    event = cloud_event("household.discovered", discovered())
    assert api_http.post(api.url + "/v1/events", json=event, headers=STRUCTURED).status_code == 201
    text = api_http.get(api.url + "/metrics").text
    count = [ln for ln in text.splitlines() if ln.startswith("zhulian_kafka_produce_seconds_count")]
    assert count and float(count[0].split()[-1]) >= 1
    assert 'zhulian_index_lag_records{partition="0"}' in text
    assert "process_resident_memory_bytes" in text


def test_a_stopped_broker_makes_the_api_unready_with_retry_after_until_it_resumes(
    production_env,
) -> None:
    broker = start_tansu()
    api = None
    try:
        api = start_api({**production_env, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers})
        assert ready(api.url).status_code == 200
        os.kill(broker.pid or 0, signal.SIGSTOP)
        down = eventually(lambda: ready(api.url), lambda r: r.status_code == 503)
        assert down.headers["retry-after"] and not down.json()["checks"]["broker"]["ok"]
        assert api_http.get(api.url + "/v1/health", timeout=30).status_code == 503
        os.kill(broker.pid or 0, signal.SIGCONT)
        eventually(lambda: ready(api.url), lambda r: r.status_code == 200)
    finally:
        if api is not None:
            api.stop(hard=True)
        broker.stop()


def test_an_unreachable_database_makes_the_api_unready_until_it_is_back(
    api_processes, production_env, postgres: Database
) -> None:
    (api,) = api_processes(1)
    assert ready(api.url).status_code == 200  # signed in while the credential store is reachable
    name = conninfo_to_dict(production_env["DATABASE_URL"])["dbname"]
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name))
        )
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            down = eventually(lambda: ready(api.url), lambda r: r.status_code == 503)
            assert down.headers["retry-after"] and not down.json()["checks"]["database"]["ok"]
        finally:
            admin.execute(
                sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name))
            )
    eventually(lambda: ready(api.url), lambda r: r.status_code == 200)


def test_views_behind_more_than_the_bound_make_the_api_unready(api_processes, production_env):
    production_env.update(ZHULIAN_RUN_PROJECTIONS="false", ZHULIAN_READY_MAX_VIEW_LAG_SECONDS="0")
    (api,) = api_processes(1)
    event = cloud_event("household.discovered", discovered())
    assert api_http.post(api.url + "/v1/events", json=event, headers=STRUCTURED).status_code == 201
    down = eventually(lambda: ready(api.url), lambda r: r.status_code == 503)
    assert (
        not down.json()["checks"]["views"]["ok"]
        and "behind" in down.json()["checks"]["views"]["detail"]
    )


def test_a_refused_event_is_found_in_the_json_log_by_its_request_id(api_processes) -> None:
    (api,) = api_processes(1)
    number = "330106198001010011"
    event = cloud_event("household.discovered", discovered(number, channel="carrier_pigeon"))
    answer = api_http.post(
        api.url + "/v1/events", json=event, headers={**STRUCTURED, "X-Request-ID": "op-find-me"}
    )
    assert answer.status_code == 422 and answer.headers["x-request-id"] == "op-find-me"

    def lines() -> list[dict[str, Any]]:
        found = []
        for line in api.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    mine = eventually(lines, lambda ls: any(ln.get("request_id") == "op-find-me" for ln in ls), 10)
    refused = [ln for ln in mine if ln.get("request_id") == "op-find-me" and ln.get("reason")]
    assert refused and refused[0]["status"] == 422 and refused[0]["event_id"] == event["id"]
    assert number not in api.log_path.read_text()


def test_an_index_left_behind_the_log_makes_the_api_unready(api_processes, production_env):
    production_env.update(KAFKA_RUN_INDEXER="false", ZHULIAN_READY_MAX_INDEX_LAG="0")
    (api,) = api_processes(1)
    producer = KafkaProducer(
        bootstrap_servers=production_env["KAFKA_BOOTSTRAP_SERVERS"], acks="all"
    )
    try:
        for n in range(3):  # records no process of this deployment indexes: no indexer runs
            producer.send(production_env["KAFKA_EVENTS_TOPIC"], b"not-a-commit-%d" % n).get(10)
    finally:
        producer.close()
    down = eventually(lambda: ready(api.url), lambda r: r.status_code == 503)
    assert not down.json()["checks"]["index"]["ok"], down.text
    metrics = api_http.get(api.url + "/metrics").text
    assert re.search(r'^zhulian_index_lag_records\{partition="0"\} [1-9]', metrics, re.MULTILINE)
