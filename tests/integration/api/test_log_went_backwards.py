"""G9: a broker restarted without its data stops writes, health names it, an operator resets."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from services.secrets import new_secret
from tests.builders import cloud_event, discovered
from tests.integration.conftest import store_env_for
from tests.support.api_process import start_api
from tests.support.broker_restart import restart_empty
from tests.support.postgres import Database, drop_database, fresh_database
from tests.support.tansu import Broker, start_tansu

CE = {"content-type": "application/cloudevents+json"}


@pytest.fixture
def own_broker() -> Iterator[list[Broker]]:
    """A broker of this test alone (it is restarted empty); a list so the test can replace it."""
    brokers = [start_tansu()]
    try:
        yield brokers
    finally:
        brokers[-1].stop()


def _post(url: str, number: str) -> httpx.Response:
    event = cloud_event("household.discovered", discovered(number))
    return httpx.post(url + "/v1/events", json=event, headers=CE, timeout=60)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_broker_restarted_empty_stops_writes_until_an_operator_accepts_the_reset(
    own_broker: list[Broker], postgres: Database
) -> None:
    url = fresh_database(postgres.url, "g9")
    env = store_env_for(own_broker[0].bootstrap_servers, url)
    env.update(
        ZHULIAN_PROFILE="production",
        ZHULIAN_HOUSEHOLD_SECRET=new_secret(),
        ZHULIAN_LOG_SIGNING_KEY=new_secret(),
        ZHULIAN_MASTER_KEY=new_secret(),
        ZHULIAN_RUNNER_INTERVAL="0.05",
        KAFKA_PRODUCE_TIMEOUT_S="5",
        KAFKA_LINEAGE_CHECK_S="1",
    )
    api = start_api(env)
    try:
        for n in range(3):
            assert _post(api.url, f"33010619800101001{n}").status_code == 201
        own_broker.append(restart_empty(own_broker[0]))

        deadline = time.monotonic() + 60
        while True:  # the first writes may fail on the new broker before the cause is known
            refused = _post(api.url, "330106198001010020")
            assert refused.status_code == 503, refused.text
            assert refused.headers["retry-after"]
            if "went backwards" in refused.json()["detail"]:
                break
            assert time.monotonic() < deadline, refused.text
            time.sleep(0.5)
        assert "zhulian index accept-reset" in refused.json()["detail"]
        again = _post(api.url, "330106198001010021")  # every later write too, before producing
        assert again.status_code == 503 and "went backwards" in again.json()["detail"]

        health = httpx.get(api.url + "/v1/health", timeout=60)
        assert health.status_code == 503
        assert "went backwards" in health.json()["checks"]["log"]["detail"]
        assert "zhulian_store_halted 1" in httpx.get(api.url + "/metrics", timeout=60).text
    finally:
        api.stop()

    # The new broker auto-created the topic with its own partition count; the operator
    # re-creates it as deployed (start-up and accept-reset refuse another partition count).
    admin = KafkaAdminClient(bootstrap_servers=own_broker[-1].bootstrap_servers)
    admin.delete_topics([env["KAFKA_EVENTS_TOPIC"]])
    admin.create_topics([NewTopic(env["KAFKA_EVENTS_TOPIC"], 1, 1)])
    admin.close()

    still = _cli(env, "index", "check")
    assert still.returncode != 0 and "went backwards" in still.stderr

    reset = _cli(env, "index", "accept-reset")
    assert reset.returncode == 0, reset.stdout + reset.stderr
    assert "index rebuilt" in reset.stdout

    api = start_api(env)  # waits for a healthy /v1/health
    try:
        assert _post(api.url, "330106198001010030").status_code == 201
    finally:
        api.stop(hard=True)
    drop_database(postgres.url, url)
