"""Every read of a household's file, timeline, money, facts or history, and every export, is
kept in the access log — who, when, which household, through which route, why — and auditors
search it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.builders import cloud_event, discovered
from tests.e2e.conftest import eventually, post_event
from tests.e2e.principals import AUDITOR, TOWN, as_, with_principals

NUMBER = "330106198001010011"


@pytest.fixture
def api(client: Any) -> Any:
    return with_principals(client)


def a_household(api: Any) -> dict[str, Any]:
    stored = post_event(api, cloud_event("household.discovered", discovered(NUMBER))).json()
    return eventually(
        lambda: api.get(f"/v1/households/{stored['record_id']}").json(),
        lambda f: "household_key" in f,
    )


def access_log(api: Any, **params: Any) -> dict[str, Any]:
    answer = api.get("/v1/audit/access-log", params=params, headers=as_(AUDITOR))
    assert answer.status_code == 200, answer.text
    return answer.json()


def reads_of_each_household_route(household: dict[str, Any]) -> dict[str, str]:
    hid, key = household["household_id"], household["household_key"]
    return {
        "GET /v1/households/{household_id}": f"/v1/households/{hid}",
        "GET /v1/households/by-key/{household_key}": f"/v1/households/by-key/{key}",
        "GET /v1/households/{household_id}/timeline": f"/v1/households/{hid}/timeline",
        "GET /v1/households/{household_id}/money": f"/v1/households/{hid}/money",
        "GET /v1/screening/households/{household_key}/facts": (
            f"/v1/screening/households/{key}/facts"
        ),
        "GET /ui/households/{household_id}": f"/ui/households/{hid}",
    }


def test_a_read_through_each_household_route_is_kept_with_who_and_why(api) -> None:
    household = a_household(api)
    hid = household["household_id"]
    before = access_log(api, household=hid)["total"]
    routes = reads_of_each_household_route(household)
    for endpoint, path in routes.items():
        answer = eventually(
            lambda path=path: api.get(
                path, params={"purpose": "check before a home visit"}, headers=as_(TOWN)
            ),
            lambda r: r.status_code == 200,
        )
        assert answer.status_code == 200, (endpoint, answer.text)
        found = access_log(api, household=hid, endpoint=endpoint)["items"]
        assert found, f"no access row for {endpoint}"
        row = found[0]
        assert (row["subject"], row["role"], row["household"], row["path"]) == (
            "wang",
            "coordinator",
            hid,
            path,
        )
        assert row["purpose"] == "check before a home visit"
    assert access_log(api, household=hid)["total"] >= before + len(routes)


def test_listing_household_files_and_exporting_them_are_kept_with_the_filter(api) -> None:
    a_household(api)
    assert api.get("/v1/households", params={"region": "330106"}, headers=as_(TOWN)).is_success
    listed = access_log(api, endpoint="GET /v1/households")["items"][0]
    assert (listed["listing"], listed["filter"], listed["household"]) == (
        "households",
        "region=330106",
        None,
    )
    exported = api.get("/ui/households", params={"format": "csv"}, headers=as_(TOWN))
    assert exported.status_code == 200
    row = access_log(api, subject="wang", endpoint="GET /ui/households")["items"][0]
    assert (row["listing"], row["filter"], row["rows"]) == ("households", "format=csv", 1)


def test_an_as_of_replay_of_history_is_kept(api) -> None:
    a_household(api)
    at = datetime.now(UTC).isoformat()
    answer = api.get("/v1/audit/views/household_file", params={"at": at}, headers=as_(AUDITOR))
    assert answer.status_code == 200, answer.text
    row = access_log(api, endpoint="GET /v1/audit/views/{view_name}")["items"][0]
    assert (row["subject"], row["listing"]) == ("audit-zhou", "household_file")


def test_auditors_filter_the_log_by_subject_time_and_page_through_it(api) -> None:
    household = a_household(api)
    for _ in range(3):
        api.get(f"/v1/households/{household['household_id']}", headers=as_(TOWN))
    api.get(f"/v1/households/{household['household_id']}")  # the suite's own auditor
    assert access_log(api, subject="wang")["total"] == 3
    mine = access_log(api, subject="test-auditor-all", household=household["household_id"])
    assert mine["total"] >= 1
    first = access_log(api, subject="wang", limit=2)
    assert len(first["items"]) == 2 and first["next"] is not None
    assert first["items"][0]["id"] > first["items"][1]["id"]  # newest first
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert access_log(api, **{"from": later})["total"] == 0
    assert access_log(api, subject="wang", to=later)["total"] == 3


def test_a_time_without_an_offset_is_refused(api) -> None:
    answer = api.get("/v1/audit/access-log", params={"from": "2026-11-23T09:00:00"})
    assert answer.status_code == 422 and "needs a UTC offset" in answer.text


def test_a_read_the_log_cannot_keep_is_refused_503_not_answered(api) -> None:
    household = a_household(api)
    api.app.state.container.access_log.close()  # the access log's store is gone
    answer = api.get(f"/v1/households/{household['household_id']}", headers=as_(TOWN))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"]
    assert "household_key" not in answer.text
