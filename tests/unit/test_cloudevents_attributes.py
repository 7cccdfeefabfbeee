"""CloudEvents context attributes are typed as the spec types them, the same in every mode."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from services.errors import Problem
from services.ingest.catalogue import CATALOGUE
from services.ingest.envelope import parse
from services.ingest.kafka_binding import record_to_event
from services.ingest.media_types import parse_media_type
from tests.builders import NOW, cloud_event, need_raised


def refusal(event: Any) -> dict[str, str]:
    with pytest.raises(Problem) as refused:
        parse(event, NOW)
    assert refused.value.status == 422
    return refused.value.errors[0]


def with_time(value: Any) -> dict[str, Any]:
    event = cloud_event("need.raised", need_raised())
    event["time"] = value
    return event


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-20T09:00:00+08:00",
        "2026-11-20t09:00:00z",  # RFC 3339 §5.6: T and Z may be lower case
        "2026-11-20T01:00:00.123456789Z",
        "2026-11-20T01:00:00-00:00",
        "1900-01-01T00:00:00Z",
    ],
)
def test_rfc_3339_timestamps_are_accepted_in_every_letter_case(value: str) -> None:
    assert parse(with_time(value), NOW).time is not None


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-20 09:00:00+08:00",  # a space: fromisoformat takes it, RFC 3339 does not
        "20261120T090000Z",  # ISO 8601 basic format
        "2026-11-20T09:00+08:00",  # no seconds
        "2026-11-20T09:00:00+0800",  # offset without a colon
        "2026-11-20T09:00:00",  # no offset
        "2026-11-20",  # a date
        "2026-W47-5T09:00:00Z",  # ISO week date
        "2026-11-20T09:00:00,5Z",  # a decimal comma
        "2026-02-30T09:00:00Z",  # no such day
        "2026-11-20T09:00:00+24:00",  # no such offset
        1763629200,  # a number
    ],
)
def test_timestamps_that_are_not_rfc_3339_are_refused(value: Any) -> None:
    assert refusal(with_time(value))["field"] == "time"


def test_a_time_before_1900_is_refused_so_the_views_can_always_hold_it() -> None:
    assert refusal(with_time("0001-01-01T00:00:00+14:00")) == {
        "field": "time",
        "reason": "is before 1900",
    }


def test_a_leap_second_is_refused_with_the_reason() -> None:
    assert "leap second" in refusal(with_time("2016-12-31T23:59:60Z"))["reason"]


def a_change(**attributes: Any) -> dict[str, Any]:
    """An event of a type that changes an existing record (so expectedversion applies)."""
    name = "cn.zhulian.household.assistance_granted.v2"
    event = cloud_event("household.assistance_granted", CATALOGUE[name].example, **attributes)
    return {**event, "type": name}


@pytest.mark.parametrize("value", [1, 7, "3", 2**31 - 1])
def test_expected_version_is_a_positive_integer_or_its_decimal_string(value: Any) -> None:
    assert parse(a_change(expectedversion=value), NOW).expected_version == int(value)


@pytest.mark.parametrize("value", [1.9, 1.0, True, False, 0, -1, "1.0", "01", " 1", "", 2**31, []])
def test_expected_version_that_is_not_a_positive_integer_is_a_422(value: Any) -> None:
    assert refusal(a_change(expectedversion=value))["field"] == "expectedversion"


@pytest.mark.parametrize("value", ["a string", "https://example.org/x", 42, -(2**31), True])
def test_extension_attributes_of_cloudevents_types_are_accepted(value: Any) -> None:
    parse(cloud_event("need.raised", need_raised(), traceparent=value), NOW)


@pytest.mark.parametrize("value", [{"a": 1}, [1], 1.5, 2**31, "tab\there"])
def test_extension_attributes_of_other_json_types_are_refused(value: Any) -> None:
    event = cloud_event("need.raised", need_raised(), traceparent=value)
    assert refusal(event)["field"] == "traceparent"


@pytest.mark.parametrize(
    "value",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;Charset=UTF-8",
        'application/json; charset="utf-8"',
        "application/vnd.zhulian+json",
    ],
)
def test_json_data_content_types_are_accepted_with_their_parameters(value: str) -> None:
    parse(cloud_event("need.raised", need_raised(), datacontenttype=value), NOW)


@pytest.mark.parametrize(
    "value", ["text/plain", "application/json; charset=latin-1", "json", "application/xml"]
)
def test_other_data_content_types_are_refused(value: str) -> None:
    event = cloud_event("need.raised", need_raised(), datacontenttype=value)
    assert refusal(event)["field"] == "datacontenttype"


def test_data_base64_gets_the_binary_data_answer_even_for_json() -> None:
    event = cloud_event("need.raised", need_raised(), datacontenttype="application/json")
    del event["data"]
    event["data_base64"] = "e30="
    assert refusal(event) == {
        "field": "data_base64",
        "reason": "binary data is not accepted; send the JSON object in data",
    }


def test_an_attribute_with_a_control_character_is_refused() -> None:
    event = cloud_event("need.raised", need_raised(), subject="line\nbreak")
    assert refusal(event)["field"] == "subject"


def test_media_types_compare_type_and_subtype_without_case() -> None:
    parsed = parse_media_type('Application/CloudEvents+JSON ; Charset="UTF-8"')
    assert parsed is not None
    assert parsed.essence == "application/cloudevents+json"
    assert parsed.parameters == {"charset": "UTF-8"}
    assert parse_media_type("application/json; charset") is None


def test_a_kafka_record_and_a_structured_event_get_the_same_content_type_check() -> None:
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", b"e-1"),
        ("ce_source", b"/330106/hrss"),
        ("ce_type", b"cn.zhulian.need.raised.v1"),
        ("content-type", b"application/json; charset=latin-1"),
    ]
    with pytest.raises(Problem) as binary:
        record_to_event(b"{}", headers)
    structured = refusal(
        cloud_event(
            "need.raised", need_raised(), datacontenttype="application/json; charset=latin-1"
        )
    )
    assert binary.value.errors[0] == structured


def test_a_kafka_record_in_another_structured_format_is_a_415() -> None:
    with pytest.raises(Problem) as refused:
        record_to_event(b"<event/>", [("content-type", b"application/cloudevents+xml")])
    assert refused.value.status == 415


def test_a_kafka_record_with_upper_case_structured_content_type_is_structured() -> None:
    event = cloud_event("need.raised", need_raised())
    assert (
        record_to_event(
            orjson.dumps(event), [("content-type", b"Application/CloudEvents+JSON; charset=UTF-8")]
        )
        == event
    )
