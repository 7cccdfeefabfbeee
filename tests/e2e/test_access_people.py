"""People sign in on the login page: sessions by cookie, CSRF on changes, limits on guessing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from harness.households import SECRET
from services.api.app import create_app
from services.auth.principal import Role
from services.settings import Settings
from tests.e2e.conftest import as_role
from tests.support.signed_in import FAST, TEST_PASSWORD, SignedIn


def an_account(client: TestClient, name: str, role: Role = Role.COORDINATOR, **kw: str) -> None:
    client.app.state.auth.create_account(  # type: ignore[attr-defined]
        "test", name=name, role=role.value, password=TEST_PASSWORD, **kw
    )


def test_an_anonymous_browser_is_sent_to_the_login_page_and_back(
    client: TestClient, anonymous: TestClient
) -> None:
    an_account(client, "wang", region="330106002")
    sent = anonymous.get("/ui/needs?region=330106002", follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/login?next=%2Fui%2Fneeds%3Fregion%3D330106002"
    page = anonymous.get(sent.headers["location"])
    assert page.status_code == 200 and "登录" in page.text and 'name="password"' in page.text
    back = anonymous.post(
        "/login",
        data={"name": "wang", "password": TEST_PASSWORD, "next": "/ui/needs?region=330106002"},
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == "/ui/needs?region=330106002"
    assert anonymous.get("/ui/needs?region=330106002").status_code == 200


def test_the_session_cookie_is_http_only_same_site_strict_and_site_wide(
    client: TestClient, anonymous: TestClient
) -> None:
    an_account(client, "li")
    answer = anonymous.post(
        "/login", data={"name": "li", "password": TEST_PASSWORD}, follow_redirects=False
    )
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("zhulian_session=")
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # the embedded profile is plain http on 127.0.0.1


def test_a_wrong_password_is_refused_and_recorded(
    client: TestClient, anonymous: TestClient, auditor: SignedIn
) -> None:
    an_account(client, "zhao")
    wrong = anonymous.post("/login", data={"name": "zhao", "password": "guess"})
    assert wrong.status_code == 401 and "账号或密码错误" in wrong.text
    assert "zhulian_session" not in wrong.cookies
    events = auditor.get("/v1/admin/credential-events", params={"credential": "zhao"}).json()
    assert [e["kind"] for e in events] == ["login_failed", "created"]
    assert events[0]["by"] == "testclient"  # the address the attempt came from


def test_a_next_pointing_off_the_site_is_ignored(client: TestClient, anonymous: TestClient) -> None:
    an_account(client, "qian")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        answer = anonymous.post(
            "/login",
            data={"name": "qian", "password": TEST_PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"


def test_a_change_by_cookie_needs_the_sessions_csrf_token(client: TestClient) -> None:
    coordinator = as_role(client, Role.COORDINATOR)
    coordinator.get("/v1/me")  # signs in; the session cookie is in the jar now
    path = "/v1/screening/what-if"
    forged = TestClient(client.app, cookies=dict(coordinator.cookies))
    refused = forged.post(path, json={"region": "330106"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["title"]
    wrong = forged.post(path, json={"region": "330106"}, headers={"x-csrf-token": "nope"})
    assert wrong.status_code == 403
    allowed = coordinator.post(path, json={"region": "330106"})
    assert allowed.status_code not in (401, 403)


def test_a_cross_site_text_plain_form_post_with_the_cookie_is_refused(client: TestClient) -> None:
    coordinator = as_role(client, Role.COORDINATOR)
    coordinator.get("/v1/me")
    browser = TestClient(client.app, cookies=dict(coordinator.cookies))
    posted = browser.post(
        "/v1/events",
        content=b'{"specversion":"1.0","id":"x","source":"/330106/hrss","type":"t","a=":"b"}',
        headers={"content-type": "text/plain", "origin": "https://evil.example"},
    )
    assert posted.status_code == 403
    assert TestClient(client.app).post("/v1/events", content=b"x=1").status_code == 401


def test_a_form_carrying_the_csrf_field_signs_out(client: TestClient) -> None:
    coordinator = as_role(client, Role.COORDINATOR)
    page = coordinator.get("/ui/needs")
    assert 'name="csrf_token"' in page.text and "退出登录" in page.text
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    browser = TestClient(client.app, cookies=dict(coordinator.cookies))
    out = browser.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert browser.get("/v1/me").status_code == 401  # the session is gone on the server


def test_logins_are_limited_per_name_with_retry_after(tmp_path) -> None:
    settings = Settings(
        data_dir=tmp_path, demo=False, household_secret=SECRET, login_burst=3,
        login_refill_seconds=60, **FAST,
    )  # fmt: skip
    with SignedIn(create_app(settings)) as client:
        an_account(client, "sun")
        anonymous = TestClient(client.app)
        tries = [
            anonymous.post("/login", data={"name": "sun", "password": f"guess{n}"})
            for n in range(4)
        ]
        assert [t.status_code for t in tries] == [401, 401, 401, 429]
        assert int(tries[-1].headers["retry-after"]) >= 1
        right = anonymous.post("/login", data={"name": "sun", "password": TEST_PASSWORD})
        assert right.status_code == 429  # even the right password waits: no oracle
        kinds = [e["kind"] for e in client.get("/v1/admin/credential-events").json()]
        assert kinds.count("login_failed") == 5


def test_a_revoked_account_loses_its_session_at_once(
    client: TestClient, administrator: SignedIn
) -> None:
    coordinator = as_role(client, Role.COORDINATOR, region="330106004")
    assert coordinator.get("/v1/needs").status_code == 200
    name = coordinator.get("/v1/me").json()["subject"]
    assert administrator.post(f"/v1/admin/accounts/{name}/revoke").status_code == 200
    assert coordinator.get("/v1/needs").status_code == 401
