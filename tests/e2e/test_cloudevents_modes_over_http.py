"""CloudEvents over HTTP: the three content modes, and nothing else (415), with CORS closed."""

from __future__ import annotations

import orjson
import pytest

from services.api.app import create_app
from services.auth.principal import Role
from services.settings import Settings
from tests.builders import cloud_event, discovered
from tests.e2e.conftest import post_event
from tests.support.signed_in import SignedIn

BINARY_HEADERS = {
    "ce-specversion": "1.0",
    "ce-id": "binary-1",
    "ce-source": "/330106/hrss",
    "ce-type": "cn.zhulian.household.discovered.v1",
    "content-type": "application/json",
}


def head(client) -> int:
    return client.get("/v1/health").json()["log_head"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/cloudevents+json",
        "application/cloudevents+json; charset=utf-8",
        "APPLICATION/CloudEvents+JSON;charset=UTF-8",
    ],
)
def test_structured_mode_takes_its_content_type_in_any_letter_case(client, content_type) -> None:
    event = cloud_event("household.discovered", discovered())
    response = client.post(
        "/v1/events", content=orjson.dumps(event), headers={"content-type": content_type}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json",  # no ce-* headers: neither structured nor binary
        "application/cloudevents+xml",
        "application/cloudevents+json; charset=latin-1",
    ],
)
def test_other_content_types_are_a_415_problem_and_store_nothing(client, content_type) -> None:
    before = head(client)
    event = cloud_event("household.discovered", discovered())
    response = client.post(
        "/v1/events", content=orjson.dumps(event), headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "content-type"
    assert head(client) == before


def test_a_request_without_a_content_type_is_a_415(client) -> None:
    event = cloud_event("household.discovered", discovered())
    assert client.post("/v1/events", content=orjson.dumps(event)).status_code == 415


def test_binary_mode_takes_attributes_from_ce_headers_and_data_from_the_body(client) -> None:
    body = orjson.dumps(discovered())
    first = client.post("/v1/events", content=body, headers=BINARY_HEADERS)
    again = client.post("/v1/events", content=body, headers=BINARY_HEADERS)
    assert (first.status_code, first.json()["result"]) == (201, "stored")
    assert (again.status_code, again.json()["result"]) == (200, "duplicate")
    assert first.json()["id"] == "binary-1"


def test_binary_mode_percent_decodes_header_values(client) -> None:
    headers = {**BINARY_HEADERS, "ce-source": "/330106/%E6%B0%91%E6%94%BF", "ce-id": "b-%20two"}
    # the publisher's registered source is the decoded one: the rules see the decoded value
    token = client.credentials.client_token(
        Role.PUBLISHER, sources=("/330106/民政",), department=discovered()["reported_by"]
    )
    headers["authorization"] = f"Bearer {token}"
    answer = client.post("/v1/events", content=orjson.dumps(discovered()), headers=headers)
    assert answer.status_code == 201
    assert (answer.json()["source"], answer.json()["id"]) == ("/330106/民政", "b- two")


def test_binary_mode_with_charset_is_answered_as_structured_mode_is(client) -> None:
    headers = {**BINARY_HEADERS, "content-type": "application/json; charset=utf-8"}
    assert (
        client.post("/v1/events", content=orjson.dumps(discovered()), headers=headers).status_code
        == 201
    )
    event = cloud_event(
        "household.discovered",
        discovered("330106198001010022"),
        datacontenttype="application/json; charset=utf-8",
    )
    assert post_event(client, event).status_code == 201


def test_binary_mode_with_text_data_is_refused_naming_the_data_content_type(client) -> None:
    headers = {**BINARY_HEADERS, "content-type": "text/plain"}
    answer = client.post("/v1/events", content=b"hello", headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "datacontenttype"


@pytest.mark.parametrize("value", ["1.9", "true", "0", "x"])
def test_binary_mode_expected_version_must_be_a_positive_integer(client, value) -> None:
    headers = {**BINARY_HEADERS, "ce-expectedversion": value}
    answer = client.post("/v1/events", content=orjson.dumps(discovered()), headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "expectedversion"


def test_a_cross_site_preflight_is_not_allowed_by_default(client) -> None:
    answer = client.options(
        "/v1/events",
        headers={
            "origin": "https://elsewhere.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert "access-control-allow-origin" not in answer.headers


def test_a_cross_site_form_post_is_refused_and_stores_nothing(client) -> None:
    before = head(client)
    answer = client.post(
        "/v1/events",
        content=orjson.dumps(cloud_event("household.discovered", discovered())),
        headers={"content-type": "text/plain", "origin": "https://elsewhere.example"},
    )
    assert answer.status_code == 415
    assert "access-control-allow-origin" not in answer.headers
    assert head(client) == before


def test_an_origin_named_in_the_settings_may_call_the_api(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, demo=False, cors_origins=["https://desk.example"])
    with SignedIn(create_app(settings)) as c:
        answer = c.options(
            "/v1/events",
            headers={
                "origin": "https://desk.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type,ce-id",
            },
        )
    assert answer.headers["access-control-allow-origin"] == "https://desk.example"
