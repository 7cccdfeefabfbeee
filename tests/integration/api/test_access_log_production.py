"""On the production profile, reads of a household file are kept in PostgreSQL, apart from the
log, and every API process writes to and reads the same access log."""

from __future__ import annotations

from tests.builders import cloud_event, discovered
from tests.integration.api.test_guarantees_over_http import eventually, post
from tests.support import api_process as api_http


def test_a_read_on_one_process_is_in_the_access_log_another_process_serves(api_processes):
    a, b = api_processes(2)
    stored = post(a.url, cloud_event("household.discovered", discovered())).json()
    household = stored["record_id"]
    eventually(
        lambda: api_http.get(f"{a.url}/v1/households/{household}", timeout=10).status_code,
        lambda status: status == 200,
    )
    read = api_http.get(
        f"{a.url}/v1/households/{household}/timeline", params={"purpose": "audit"}, timeout=10
    )
    assert read.status_code == 200
    found = api_http.get(
        f"{b.url}/v1/audit/access-log",
        params={"household": household, "endpoint": "GET /v1/households/{household_id}/timeline"},
        timeout=10,
    ).json()
    assert found["total"] == 1
    assert found["items"][0]["purpose"] == "audit"
    assert found["items"][0]["subject"].startswith("it-auditor-")  # the signed-in auditor client
