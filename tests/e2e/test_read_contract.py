"""The read API's contract: typed answers, one page shape, records by id, strict parameters."""

from __future__ import annotations

import uuid

import pytest

PROBLEM = "application/problem+json"
# Owned elsewhere and described by their own contracts: the event catalogue and its schemas
# (generated from the catalogue), HSDS documents (the HSDS schema), health and metrics.
# Access (services/auth): the JWKS (RFC 7517), who-am-I and the credentials' administration.
NOT_READ_SIDE = (
    "/v1/event-types", "/v1/hsds/", "/v1/health", "/metrics", "/.well-known/", "/v1/me",
    "/v1/admin/",
)  # fmt: skip

LISTS = {
    "/v1/needs": "need_id",
    "/v1/referrals": "referral_id",
    "/v1/households": "household_id",
    "/v1/services": "offering_id",
    "/v1/providers": "provider_id",
    "/v1/funds": "fund_id",
    "/v1/contracts": "contract_id",
    "/v1/match-queue": "need_id",
}
BY_ID = {
    "/v1/needs": "/v1/needs/{}",
    "/v1/referrals": "/v1/referrals/{}",
    "/v1/households": "/v1/households/{}",
    "/v1/services": "/v1/services/{}",
    "/v1/providers": "/v1/providers/{}",
    "/v1/funds": "/v1/funds/{}",
    "/v1/contracts": "/v1/contracts/{}",
}


def read_operations(openapi: dict) -> list[tuple[str, dict]]:
    return [
        (path, item["get"])
        for path, item in openapi["paths"].items()
        if "get" in item and not path.startswith(NOT_READ_SIDE)
    ]


def test_every_read_endpoint_documents_its_answer_model_and_its_problems(client) -> None:
    openapi = client.get("/openapi.json").json()
    operations = read_operations(openapi)
    assert len(operations) >= 20
    for path, op in operations:
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, f"{path}: no response model"
        for status in ("422", "503"):
            content = op["responses"][status]["content"]
            assert content == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}, path
        if "_id}" in path or "_key}" in path or "_name}" in path:
            assert PROBLEM in op["responses"]["404"]["content"], f"{path}: 404 not documented"
    assert "HTTPValidationError" not in str(openapi), "FastAPI's own 422 shape is not what we send"
    assert set(openapi["components"]["schemas"]["Problem"]["required"]) >= {"title", "status"}


def test_every_kind_of_record_an_event_creates_can_be_read_by_its_id(demo_client) -> None:
    for listing, template in BY_ID.items():
        page = demo_client.get(listing, params={"limit": 1}).json()
        assert page["items"], f"the demo district has no {listing}"
        ident = page["items"][0][LISTS[listing]]
        found = demo_client.get(template.format(ident))
        assert found.status_code == 200, (template, found.text)
        assert found.json()[LISTS[listing]] == ident
        missing = demo_client.get(template.format(uuid.uuid4()))
        assert missing.status_code == 404
        assert missing.headers["content-type"] == PROBLEM
        assert missing.json()["status"] == 404


@pytest.mark.parametrize("listing", sorted(LISTS))
def test_every_list_answers_in_one_page_shape_with_a_link_to_the_next_page(
    demo_client, listing
) -> None:
    first = demo_client.get(listing, params={"limit": 1}).json()
    assert {"items", "total", "limit", "offset", "next"} <= set(first)
    assert (first["limit"], first["offset"], len(first["items"])) == (1, 0, 1)
    if first["total"] == 1:  # the demo district signs one contract
        assert first["next"] is None
        return
    second = demo_client.get(first["next"]).json()
    assert second["offset"] == 1
    assert second["items"][0][LISTS[listing]] != first["items"][0][LISTS[listing]]
    last = demo_client.get(listing, params={"limit": 1, "offset": first["total"] - 1}).json()
    assert last["next"] is None


def test_a_query_parameter_an_endpoint_does_not_take_is_refused_by_name(demo_client) -> None:
    answer = demo_client.get("/v1/households", params={"registration_number": "330106198001010011"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert "registration_number" in answer.json()["detail"]
    assert answer.json()["errors"] == [
        {"field": "query.registration_number", "reason": "unknown parameter"}
    ]
    for listing in LISTS:
        assert demo_client.get(listing, params={"sort": "name"}).status_code == 422, listing


@pytest.mark.parametrize(
    "params",
    [
        {"offset": str(2**63)},
        {"offset": str(2**64 + 1)},
        {"offset": "-1"},
        {"offset": "1000000001"},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": str(2**63)},
    ],
)
def test_paging_outside_its_bounds_is_a_422_never_a_500(client, params) -> None:
    for listing in LISTS:
        answer = client.get(listing, params=params)
        assert answer.status_code == 422, (listing, params, answer.text)
        assert answer.headers["content-type"] == PROBLEM


def test_the_largest_offset_allowed_answers_an_empty_page(client) -> None:
    for listing in LISTS:
        page = client.get(listing, params={"offset": "1000000000"}).json()
        assert page["items"] == [] and page["next"] is None, listing
