"""CloudEvents over Kafka records: structured and binary mode."""

from __future__ import annotations

import orjson
import pytest

from services.errors import Problem
from services.ingest.kafka_binding import record_to_event
from services.ingest.service import Result
from services.workers.inbox import result_key
from tests.builders import cloud_event, need_raised


def test_a_structured_record_is_the_event_itself() -> None:
    event = cloud_event("need.raised", need_raised())
    assert (
        record_to_event(
            orjson.dumps(event), [("content-type", b"application/cloudevents+json; charset=utf-8")]
        )
        == event
    )


def test_a_binary_record_carries_attributes_in_ce_headers_and_data_in_the_value() -> None:
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", b"e-1"),
        ("ce_source", b"/330106/hrss"),
        ("ce_type", b"cn.zhulian.need.raised.v1"),
        ("content-type", b"application/json"),
    ]
    event = record_to_event(orjson.dumps(need_raised()), headers)
    assert event == {
        "specversion": "1.0",
        "id": "e-1",
        "source": "/330106/hrss",
        "type": "cn.zhulian.need.raised.v1",
        "datacontenttype": "application/json",
        "data": need_raised(),
    }


def test_a_record_in_neither_mode_is_refused_with_the_reason() -> None:
    with pytest.raises(Problem, match=r"structured .* or binary"):
        record_to_event(b"{}", [])


def test_a_value_that_is_not_json_is_a_400() -> None:
    with pytest.raises(Problem) as refused:
        record_to_event(b"{oops", [("content-type", b"application/cloudevents+json")])
    assert refused.value.status == 400


def test_a_record_that_names_no_event_is_answered_under_its_place_in_the_log() -> None:
    refused = Result(None, None, problem=Problem(422, "Invalid event", "neither mode"))
    assert result_key(refused, 2, 41) == b"record:2:41"


def test_an_answer_is_keyed_by_source_and_id_without_an_ambiguous_separator() -> None:
    one = result_key(Result("e\x1f1", "/a"), 0, 0)
    other = result_key(Result("1", "/a\x1fe"), 0, 0)
    assert one != other and orjson.loads(one) == ["/a", "e\x1f1"]
