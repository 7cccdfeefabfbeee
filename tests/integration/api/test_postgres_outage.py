"""PostgreSQL stopped and restarted under a production API: 503 + Retry-After, never 500."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from services.secrets import new_secret
from tests.builders import cloud_event, discovered
from tests.integration.conftest import store_env_for
from tests.support import api_process as api_http
from tests.support.api_process import start_api
from tests.support.postgres import Database, fresh_database, start_postgres
from tests.support.postgres_restart import start_in_place, stop_in_place
from tests.support.tansu import Broker

CE = {"content-type": "application/cloudevents+json"}
BATCH = {"content-type": "application/cloudevents-batch+json"}


@pytest.fixture
def own_postgres() -> Iterator[Database]:
    """A PostgreSQL of this test alone: it is stopped and started again."""
    database = start_postgres()
    try:
        yield database
    finally:
        database.stop()


def _post(url: str, event: dict, headers: dict = CE) -> httpx.Response:
    return api_http.post(url + "/v1/events", json=event, headers=headers, timeout=60)


def _assert_unavailable(answer: httpx.Response, problem: bool = True) -> None:
    assert answer.status_code == 503, (answer.status_code, answer.text)
    assert int(answer.headers["retry-after"]) > 0
    if problem:  # writes and reads answer a problem; health answers its checks
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_while_postgres_is_down_writes_reads_and_health_are_503_then_recover(
    broker: Broker, own_postgres: Database
) -> None:
    url = fresh_database(own_postgres.url, "outage")
    env = store_env_for(broker.bootstrap_servers, url)
    env.update(
        ZHULIAN_PROFILE="production",
        ZHULIAN_HOUSEHOLD_SECRET=new_secret(),
        ZHULIAN_LOG_SIGNING_KEY=new_secret(),
        ZHULIAN_MASTER_KEY=new_secret(),
        ZHULIAN_RUNNER_INTERVAL="0.05",
        KAFKA_INDEX_WAIT_TIMEOUT_S="3",
        KAFKA_PRODUCE_TIMEOUT_S="3",
    )
    api = start_api(env)
    try:
        assert _post(api.url, cloud_event("household.discovered", discovered())).status_code == 201
        # sign the reader in while the credential store is up (a token outlives the outage)
        assert api_http.get(api.url + "/v1/needs", timeout=60).status_code == 200
        stop_in_place(own_postgres)

        second = cloud_event("household.discovered", discovered("330106198001010022"))
        _assert_unavailable(_post(api.url, second))
        health = api_http.get(api.url + "/v1/health", timeout=60)
        _assert_unavailable(health, problem=False)
        assert health.json()["checks"]["database"]["ok"] is False
        _assert_unavailable(api_http.get(api.url + "/v1/needs", timeout=60))
        batch = _post(
            api.url,
            [
                cloud_event("household.discovered", discovered(f"33010619800101003{n}"))
                for n in range(2)
            ],
            BATCH,
        )
        assert batch.status_code < 500
        assert [r["status"] for r in batch.json()["results"]] == [503, 503]

        start_in_place(own_postgres)
        deadline = time.monotonic() + 60
        while True:  # the client retries the same CloudEvent until the outcome is known
            answer = _post(api.url, second)
            if answer.status_code in (200, 201):
                break
            _assert_unavailable(answer)
            assert time.monotonic() < deadline, "writes did not recover after PostgreSQL came back"
            time.sleep(0.5)
        health = api_http.get(api.url + "/v1/health", timeout=60)
        assert health.status_code == 200, health.text
    finally:
        api.stop(hard=True)
    assert '" 500' not in api.log_path.read_text(errors="replace"), "a request answered 500"
