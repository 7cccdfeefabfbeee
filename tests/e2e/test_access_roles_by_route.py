"""Every route of the app × every role, and anonymous: the route policy holds on each one.

The routes come from the app itself (and its OpenAPI): a new route without a row in
services/auth/policy.py fails here before it can be reached by anyone.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.auth.policy import POLICY, app_routes, rule_for
from services.auth.principal import Role
from tests.e2e.conftest import as_role

# A value for every path parameter: well-formed, naming nothing that exists.
SAMPLE = {
    "region_code": "330106", "region": "330106", "log": "330106", "view_name": "needs_list",
    "type_name": "cn.zhulian.need.raised.v1", "document": "service", "name": "nobody",
    "client_id": "nobody", "household_key": "H1-0000000000000000",
}  # fmt: skip
CREDENTIAL_ENDPOINTS = ("/login", "/v1/oauth/token")
UUID_ZERO = "00000000-0000-4000-8000-000000000000"


def concrete(template: str) -> str:
    """The template with sample values in place of its parameters."""
    path = template
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        name = path[start + 1 : end]
        path = path[:start] + SAMPLE.get(name, UUID_ZERO) + path[end + 1 :]
    return path


def routes_of(client: TestClient) -> list[tuple[str, str]]:
    """(method, template) of every route, mounts included, plus every OpenAPI operation."""
    found = set(app_routes(client.app.routes))  # type: ignore[attr-defined]
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        found |= {(method.upper(), path) for method in operations}
    return sorted(found)


def test_every_route_of_the_app_has_a_row_in_the_policy_table(client: TestClient) -> None:
    missing = [
        (method, path)
        for method, path in routes_of(client)
        if (method, path) not in POLICY and ("*", path) not in POLICY
    ]
    assert missing == [], f"routes without a policy row (refused to everyone): {missing}"


def test_every_row_of_the_policy_table_names_a_route_that_exists(client: TestClient) -> None:
    routes = set(routes_of(client))
    stale = [key for key in POLICY if key not in routes]
    assert stale == []


def test_a_path_no_row_covers_is_refused_as_missing(client: TestClient) -> None:
    assert rule_for("GET", "/v1/secret-admin-thing") is None
    assert client.get("/v1/secret-admin-thing").status_code == 404
    assert client.delete("/v1/needs").status_code == 404


def _call(http: TestClient, method: str, path: str):
    if method == "GET":
        return http.get(path, follow_redirects=False)
    return http.request(method, path, json={}, follow_redirects=False)


@pytest.mark.parametrize("who", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_each_role_reaches_exactly_the_routes_its_row_allows(
    client: TestClient, who: Role | None
) -> None:
    http = TestClient(client.app) if who is None else as_role(client, who, region="330106")
    wrong = []
    last = [("POST", "/logout")]  # ends the session the other calls use
    routes = [r for r in routes_of(client) if r not in last] + last
    for method, template in routes:
        if method == "*":
            continue  # mounts: static files and the docs' assets, public rows
        roles = POLICY[(method, template)]
        answer = _call(http, method, concrete(template))
        status = answer.status_code
        if not roles:  # public; the credential endpoints answer 401 to a wrong credential
            ok = status != 403 and (status != 401 or template in CREDENTIAL_ENDPOINTS)
        elif who is None:
            # a browser GET of a page is sent to the login page; a form POST without a
            # session is a 401 like any other unsafe request
            page = (template == "/" or template.startswith("/ui/")) and method == "GET"
            ok = (
                (status == 303 and "/login" in answer.headers["location"])
                if page
                else (status == 401 and answer.headers["www-authenticate"].startswith("Bearer"))
            )
        elif who in roles:
            ok = status not in (401, 403) and status < 500
        else:
            ok = status == 403
        if not ok:
            wrong.append(f"{method} {template}: {status} {answer.text[:120]}")
    assert wrong == []
