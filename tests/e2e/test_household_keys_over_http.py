"""Household keys at the edge: only keys this deployment issued, matched exactly."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from domain.households.identity import HOUSEHOLD_KEY_PATTERN
from tests.builders import cloud_event, discovered, need_raised
from tests.e2e.conftest import eventually, post_event

pytestmark = pytest.mark.e2e


def issued_key(client: TestClient) -> str:
    answer = post_event(client, cloud_event("household.discovered", discovered()))
    assert answer.status_code == 201
    household = answer.json()["record_id"]
    found = eventually(
        lambda: client.get(f"/v1/households/{household}").json(), lambda f: "household_key" in f
    )
    return str(found["household_key"])


def raise_need_for(client: TestClient, key: str) -> dict[str, object]:
    data = {**need_raised(), "household": {"household_key": key}}
    response = post_event(client, cloud_event("need.raised", data))
    return {"status": response.status_code, **response.json()}


def test_a_need_for_a_key_this_deployment_issued_is_stored_on_that_household(
    client: TestClient,
) -> None:
    key = issued_key(client)
    assert raise_need_for(client, key)["status"] == 201


def test_a_key_with_a_trailing_newline_is_refused_and_opens_no_second_file(
    client: TestClient,
) -> None:
    key = issued_key(client)
    refused = raise_need_for(client, key + "\n")
    assert refused["status"] == 422
    data = {**discovered(), "household": {"household_key": key + "\n"}}
    assert post_event(client, cloud_event("household.discovered", data)).status_code == 422


def test_a_forged_key_is_refused_naming_the_field(client: TestClient) -> None:
    key = issued_key(client)
    forged = key[:-8] + ("0" * 8 if key[-8:] != "0" * 8 else "1" * 8)
    data = {**discovered(), "household": {"household_key": forged}}
    refused = post_event(client, cloud_event("household.discovered", data))
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"] == "data.household.household_key"
    assert "not a household key this deployment issued" in error["reason"]


def test_the_published_schema_uses_the_key_pattern(client: TestClient) -> None:
    schema = client.get("/v1/event-types/cn.zhulian.need.raised.v1/schema").json()
    assert HOUSEHOLD_KEY_PATTERN in str(schema)
