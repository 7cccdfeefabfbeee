"""CloudEvents envelopes: every refusal names the field and the reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.errors import Problem
from services.ingest.envelope import parse
from tests.builders import NOW, cloud_event, discovered, need_raised


def refusal(event: Any) -> dict[str, str]:
    with pytest.raises(Problem) as refused:
        parse(event, NOW)
    assert refused.value.status == 422
    return refused.value.errors[0]


def test_a_well_formed_event_parses() -> None:
    envelope = parse(cloud_event("household.discovered", discovered(), time=NOW), NOW)
    assert envelope.type.name == "cn.zhulian.household.discovered.v1"
    assert envelope.time == NOW


def test_the_spec_version_must_be_1_0() -> None:
    assert refusal(cloud_event("need.raised", need_raised(), specversion="0.3"))["field"] == (
        "specversion"
    )


@pytest.mark.parametrize("attribute", ["id", "source", "type"])
def test_required_attributes_are_named_when_missing(attribute: str) -> None:
    event = cloud_event("need.raised", need_raised())
    del event[attribute]
    assert refusal(event)["field"] == attribute


def test_an_unknown_type_points_to_the_catalogue() -> None:
    event = cloud_event("need.raised", need_raised())
    event["type"] = "cn.zhulian.need.invented.v1"
    assert "/v1/event-types" in refusal(event)["reason"]


def test_a_missing_data_field_is_named_with_its_path() -> None:
    data = need_raised()
    del data["urgency"]
    error = refusal(cloud_event("need.raised", data))
    assert error["field"] == "data.urgency" and error["reason"] == "is required"


def test_a_bad_nested_value_is_named_with_its_path() -> None:
    data = discovered()
    data["members"][0]["birth_year"] = 1800
    assert refusal(cloud_event("household.discovered", data))["field"] == (
        "data.members[0].birth_year"
    )


def test_a_region_code_of_the_wrong_length_is_refused() -> None:
    error = refusal(cloud_event("household.discovered", discovered(region="3301060010")))
    assert error["field"] == "data.region_code"


def test_a_household_must_be_named_one_way_only() -> None:
    data = need_raised()
    data["household"] = {
        "registration_number": "330106198001010011",
        "household_key": "hh_" + "0" * 32,
    }
    assert refusal(cloud_event("need.raised", data))["field"] == "data.household"


def test_unknown_data_fields_are_refused() -> None:
    data = need_raised(colour="blue")
    assert "colour" in refusal(cloud_event("need.raised", data))["reason"]


def test_a_time_in_the_future_is_refused() -> None:
    event = cloud_event("need.raised", need_raised(), time=NOW + timedelta(hours=1))
    assert refusal(event) == {"field": "time", "reason": "is in the future"}


def test_a_time_without_an_offset_is_refused() -> None:
    event = cloud_event("need.raised", need_raised())
    event["time"] = "2026-11-20T09:00:00"
    assert refusal(event)["field"] == "time"


def test_an_extension_attribute_must_be_lowercase_alphanumeric() -> None:
    event = cloud_event("need.raised", need_raised(), **{"Bad-Name": 1})
    assert refusal(event)["field"] == "Bad-Name"


def test_expected_version_must_be_a_positive_whole_number() -> None:
    event = cloud_event("need.raised", need_raised(), expectedversion="two")
    assert refusal(event)["field"] == "expectedversion"


def test_a_batch_item_that_is_not_an_object_is_refused() -> None:
    assert refusal(["not", "an", "event"])["field"] == "event"
