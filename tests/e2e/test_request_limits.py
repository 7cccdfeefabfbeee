"""Request limits: oversized or overly deep bodies are refused naming the limit, nothing stored."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.settings import Settings
from tests.builders import cloud_event, discovered
from tests.e2e.conftest import post_batch, post_event
from tests.support.signed_in import SignedIn

CE = {"content-type": "application/cloudevents+json"}


def head(client: TestClient) -> int:
    return client.get("/v1/health").json()["log_head"]


@pytest.fixture
def small(tmp_path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path, demo=False, max_body_bytes=4096, max_batch_body_bytes=16_384
    )
    with SignedIn(create_app(settings)) as c:
        yield c


def test_a_body_over_the_declared_size_limit_is_413_naming_the_setting(small) -> None:
    event = cloud_event("household.discovered", discovered(note="x" * 5000))
    answer = post_event(small, event)
    assert answer.status_code == 413
    assert "ZHULIAN_MAX_BODY_BYTES" in answer.json()["detail"]
    assert head(small) == 0


def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(small) -> None:
    body = orjson.dumps(cloud_event("household.discovered", discovered(note="x" * 5000)))
    chunks = (body[i : i + 1000] for i in range(0, len(body), 1000))
    answer = small.post("/v1/events", content=chunks, headers=CE)
    assert answer.status_code == 413 and head(small) == 0


def test_a_batch_is_judged_by_the_batch_size_limit(small) -> None:
    events = [cloud_event("household.discovered", discovered()) for _ in range(10)]
    assert post_batch(small, events).status_code == 200
    many = [cloud_event("household.discovered", discovered()) for _ in range(200)]
    answer = post_batch(small, many)
    assert answer.status_code == 413
    assert "ZHULIAN_MAX_BATCH_BODY_BYTES" in answer.json()["detail"]


def test_a_value_nested_960_levels_deep_is_422_naming_the_depth_limit(client) -> None:
    event = orjson.dumps(cloud_event("household.discovered", discovered(note="@")))
    deep = b'{"x":' * 960 + b'"bottom"' + b"}" * 960
    answer = client.post("/v1/events", content=event.replace(b'"@"', deep), headers=CE)
    assert answer.status_code == 422
    assert "ZHULIAN_MAX_JSON_DEPTH" in answer.json()["detail"]
    assert head(client) == 0


def test_a_batch_with_one_overly_deep_item_is_refused_whole_before_anything_is_stored(
    client,
) -> None:
    deep: object = 1
    for _ in range(100):
        deep = [deep]
    events = [cloud_event("household.discovered", discovered()) for _ in range(3)]
    events.append(cloud_event("household.discovered", discovered(note=deep)))
    before = head(client)
    answer = post_batch(client, events)
    assert answer.status_code == 422 and "body[3].data.note" in answer.json()["detail"]
    assert head(client) == before


def test_a_4000_item_unique_array_is_refused_on_its_length_before_schema_validation(
    tmp_path,
) -> None:
    settings = Settings(data_dir=tmp_path, demo=False, max_array_items=256)
    with SignedIn(create_app(settings)) as client:
        _a_long_array_is_refused(client)


def _a_long_array_is_refused(client: TestClient) -> None:
    member = {
        "relation": "head",
        "birth_year": 1970,
        "circumstances": [{"k": [i]} for i in range(4000)],
    }
    answer = post_event(client, cloud_event("household.discovered", discovered(members=[member])))
    assert answer.status_code == 422
    problem = answer.json()
    assert "ZHULIAN_MAX_ARRAY_ITEMS" in problem["detail"]
    assert problem["errors"][0]["field"] == "body.data.members[0].circumstances"


def test_a_20_megabyte_id_is_refused_and_never_stored(client) -> None:
    event = cloud_event("household.discovered", discovered(), event_id="i" * 20_000_000)
    answer = post_event(client, event)
    assert answer.status_code == 413 and head(client) == 0


def test_a_long_string_is_422_naming_the_string_limit(client) -> None:
    answer = post_event(client, cloud_event("household.discovered", discovered(note="n" * 9000)))
    assert answer.status_code == 422 and "ZHULIAN_MAX_STRING_CHARS" in answer.json()["detail"]
