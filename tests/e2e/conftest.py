"""End-to-end fixtures: the real app on the embedded profile, HTTP in, views out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.settings import Settings

T = TypeVar("T")


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=tmp_path, demo=False))) as c:
        yield c


class FakeClock:
    """A clock the test moves: what the service records as 'now'."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clocked(tmp_path) -> Iterator[tuple[TestClient, FakeClock]]:
    clock = FakeClock()
    with TestClient(create_app(Settings(data_dir=tmp_path, demo=False), clock=clock)) as c:
        yield c, clock


@pytest.fixture
def demo_client(tmp_path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=tmp_path, demo=True))) as c:
        yield c


def eventually(probe: Callable[[], T], until: Callable[[T], bool], timeout: float = 10.0) -> T:
    """Poll a read until it satisfies the condition, or fail with the last value seen."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
            done = until(value)
        except (KeyError, IndexError, TypeError) as not_yet:  # the view has not got the row yet
            value, done = not_yet, False
        if done:
            return value  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
        time.sleep(0.05)


def post_event(client: TestClient, event: dict[str, Any]) -> Any:
    return client.post(
        "/v1/events", json=event, headers={"content-type": "application/cloudevents+json"}
    )


def post_batch(client: TestClient, events: list[Any]) -> Any:
    return client.post(
        "/v1/events", json=events, headers={"content-type": "application/cloudevents-batch+json"}
    )
