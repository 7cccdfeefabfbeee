"""CloudEvents over Kafka records: structured and binary mode."""

from __future__ import annotations

import orjson
import pytest

from services.errors import Problem
from services.ingest.kafka_binding import record_to_event
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
