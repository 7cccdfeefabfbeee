"""End-to-end fixtures: the real app on the embedded profile, HTTP in, views out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from harness.households import SECRET  # keys the tests compute match the app's
from services.api.app import create_app
from services.auth.principal import Role
from services.settings import Settings
from tests.support.signed_in import FAST, SignedIn

T = TypeVar("T")


def _settings(tmp_path, demo: bool) -> Settings:
    return Settings(data_dir=tmp_path, demo=demo, household_secret=SECRET, **FAST)


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    """The app, signed in for real: reads as an auditor, events as their sources' publishers."""
    with SignedIn(create_app(_settings(tmp_path, demo=False))) as c:
        yield c


@pytest.fixture
def anonymous(client: TestClient) -> TestClient:
    """The same app, called with no credential at all."""
    return TestClient(client.app)


def as_role(client: TestClient, role: Role, region: str = "", **kw: object) -> SignedIn:
    """The same app, signed in with one role (a session; a publisher: a client token)."""
    return SignedIn(client.app, as_role=role, region=region, **kw)  # type: ignore[arg-type]


@pytest.fixture
def coordinator(client: TestClient) -> SignedIn:
    """A coordinator of the whole alliance, signed in on the login page."""
    return as_role(client, Role.COORDINATOR)


@pytest.fixture
def auditor(client: TestClient) -> SignedIn:
    """An auditor, signed in on the login page."""
    return as_role(client, Role.AUDITOR)


@pytest.fixture
def administrator(client: TestClient) -> SignedIn:
    """An administrator, signed in on the login page."""
    return as_role(client, Role.ADMINISTRATOR)


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
    with SignedIn(create_app(_settings(tmp_path, demo=False), clock=clock)) as c:
        yield c, clock


@pytest.fixture
def demo_client(tmp_path) -> Iterator[TestClient]:
    with SignedIn(create_app(_settings(tmp_path, demo=True))) as c:
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
