"""Generated CloudEvents of every type, single, binary and batched: no 5xx, refusals name fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import eventually, post_batch, post_event
from tests.fuzz.conftest import FUZZ
from tests.fuzz.events import World, events


@pytest.fixture
def world(demo_client: Any) -> World:
    """The demo district's records, once its views have them."""
    eventually(lambda: demo_client.get("/v1/referrals").json()["total"], lambda n: n >= 1)
    known = World()
    known.learn_lists(demo_client)
    return known


def _refusal_names_the_field(status: int, body: dict[str, Any]) -> None:
    """A refusal is a problem that says what is wrong, field by field where fields are at fault."""
    assert body["status"] == status and body["detail"], body
    for error in body.get("errors") or ():
        assert error["field"] and error["reason"], body


def _checked(answer: Any) -> dict[str, Any]:
    assert answer.status_code < 500, answer.text
    body: dict[str, Any] = answer.json()
    if answer.status_code >= 400:
        assert answer.headers["content-type"].startswith("application/problem+json")
        _refusal_names_the_field(answer.status_code, body)
    return body


@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_no_structured_event_gets_a_server_error_and_every_refusal_says_why(
    demo_client: Any, world: World, data: st.DataObject
) -> None:
    event = data.draw(events(world))
    body = _checked(post_event(demo_client, event))
    if body.get("result") == "stored":
        world.learn(body, event["data"])


def _binary(event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    """The event in HTTP binary mode: attributes as percent-encoded `ce-*` headers."""
    headers = {
        f"ce-{name}": quote(str(value), safe="") for name, value in event.items() if name != "data"
    }
    headers["content-type"] = "application/json"
    return headers, orjson.dumps(event["data"], option=orjson.OPT_PASSTHROUGH_SUBCLASS)


@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_binary_mode_events_get_no_server_error_either(
    demo_client: Any, world: World, data: st.DataObject
) -> None:
    event = data.draw(events(world))
    try:
        headers, body = _binary(event)
    except orjson.JSONEncodeError:  # an integer past 64 bits cannot travel as a body here
        return
    _checked(demo_client.post("/v1/events", content=body, headers=headers))


@settings(FUZZ, max_examples=8)
@given(data=st.data())
def test_a_batch_answers_every_item_and_never_a_server_error(
    demo_client: Any, world: World, data: st.DataObject
) -> None:
    batch = data.draw(st.lists(events(world), min_size=1, max_size=5))
    answer = post_batch(demo_client, batch)
    body = _checked(answer)
    if answer.status_code != 200:  # refused as a whole (a limit), naming why: nothing taken
        return
    assert [r["id"] for r in body["results"]] == [e["id"] for e in batch]
    assert body["stored"] + body["duplicate"] + body["rejected"] == len(batch)
    for result in body["results"]:
        assert result["status"] < 500, result
        if result["result"] == "rejected":
            _refusal_names_the_field(result["status"], result["problem"])
