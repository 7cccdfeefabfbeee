"""API processes on the production profile: Kafka log, PostgreSQL index and views."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from services.secrets import new_secret
from tests.integration.conftest import store_env_for
from tests.support.api_process import ApiProcess, start_api
from tests.support.postgres import Database, drop_database, fresh_database
from tests.support.tansu import Broker


@pytest.fixture
def production_env(broker: Broker, postgres: Database) -> Iterator[dict[str, str]]:
    """A fresh topic and a fresh database for one test's API processes."""
    url = fresh_database(postgres.url, "api")
    env = store_env_for(broker.bootstrap_servers, url)
    env.update(
        ZHULIAN_PROFILE="production",
        ZHULIAN_HOUSEHOLD_SECRET=new_secret(),
        ZHULIAN_LOG_SIGNING_KEY=new_secret(),
        ZHULIAN_MASTER_KEY=new_secret(),
        ZHULIAN_RUNNER_INTERVAL="0.05",
    )
    yield env
    drop_database(postgres.url, url)


@pytest.fixture
def api_processes(production_env: dict[str, str]) -> Iterator[Callable[[int], list[ApiProcess]]]:
    """Start n API processes sharing one store; all are stopped after the test."""
    started: list[ApiProcess] = []

    def start(n: int) -> list[ApiProcess]:
        for _ in range(n):
            started.append(start_api(production_env))
        return started[-n:]

    yield start
    for api in started:
        api.stop(hard=True)
