"""A TestClient whose requests carry real credentials, obtained through the real endpoints.

Reads go as an auditor signed in on the login page (a session cookie); `POST /v1/events` goes
with the bearer token of a publisher client registered on the fly for the events' sources;
other writes as a coordinator's or an administrator's client. Every request still passes the
real middleware, route policy and jurisdiction code. A request that names its own
`authorization` header is sent as it is.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.auth.authority import Authority
from services.auth.principal import Principal, Role
from services.ingest.catalogue import CATALOGUE

TEST_PASSWORD = "a-test-password-of-the-suite"
# Cheap argon2id for tests (real verification, fewer rounds); writes never rate limited here.
FAST = {"argon2_time_cost": 1, "argon2_memory_kib": 32, "write_burst": 10**9}


class Credentials:
    """Clients and accounts of one app, created once each, with their tokens."""

    def __init__(self, http: TestClient) -> None:
        self._http = http
        self._tokens: dict[Any, str] = {}
        self._sessions: dict[str, str] = {}

    @property
    def authority(self) -> Authority:
        """The app's credential authority (as `zhulian admin` uses it)."""
        authority: Authority = self._http.app.state.auth  # type: ignore[attr-defined]
        return authority

    def client_token(
        self,
        role: Role,
        *,
        sources: tuple[str, ...] = (),
        types: tuple[str, ...] = ("cn.zhulian.*",),
        client_id: str | None = None,
        **fields: Any,
    ) -> str:
        """A bearer token of a client with this role (registered on first use)."""
        key = (role, sources, types, client_id, tuple(sorted(fields.items())))
        if key not in self._tokens:
            client_id = client_id or f"test-{role.value}-{len(self._tokens)}"
            secret = self.authority.create_client(
                "test suite",
                client_id=client_id,
                role=role.value,
                sources=list(sources),
                event_types=list(types),
                **fields,
            )
            self._tokens[key] = self.token(client_id, secret)
        return self._tokens[key]

    def token(self, client_id: str, secret: str) -> str:
        """A token from the real token endpoint."""
        response = self._http.post(
            "/v1/oauth/token",
            data={"grant_type": "client_credentials", "client_id": client_id},
            headers={"authorization": ""},
            auth=(client_id, secret),
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def session(self, role: Role, region: str = "", name: str | None = None, **fields: Any) -> str:
        """The session cookie of an account with this role, signed in on the login page."""
        suffix = "".join(f"-{v}" for _, v in sorted(fields.items()) if v)
        name = name or f"test-{role.value}-{region or 'all'}{suffix}"[:64]
        if role is Role.PROVIDER:
            fields.setdefault("provider", "xinyuan")
        if name not in self._sessions:
            if self.authority.store.account(name) is None:
                self.authority.create_account(
                    "test suite", name=name, role=role.value, region=region,
                    password=TEST_PASSWORD, **fields,
                )  # fmt: skip
            self._sessions[name] = sign_in(self._http, name, TEST_PASSWORD)
        return self._sessions[name]


def sign_in(http: TestClient, name: str, password: str) -> str:
    """POST /login as a browser would; the session cookie's value."""
    response = http.post(
        "/login",
        data={"name": name, "password": password},
        headers={"authorization": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    cookie = response.cookies.get("zhulian_session")
    assert cookie, response.headers
    http.cookies.delete("zhulian_session")
    return str(cookie)


def _events(kwargs: dict[str, Any], headers: Any) -> list[Any]:
    """The CloudEvents of a request: its body (structured, batch), or binary mode's headers."""
    if headers and headers.get("ce-source"):
        raw = kwargs.get("content") or kwargs.get("data")
        try:
            data = kwargs.get("json") or (json.loads(raw) if isinstance(raw, str | bytes) else None)
        except (ValueError, RecursionError):
            data = None
        return [{"source": headers["ce-source"], "type": headers.get("ce-type"), "data": data}]
    body = kwargs.get("json")
    if body is None:
        raw = kwargs.get("content") or kwargs.get("data")
        try:
            body = json.loads(raw) if isinstance(raw, str | bytes) else None
        except (ValueError, RecursionError):  # not JSON, or too deep: the app says which
            body = None
    return body if isinstance(body, list) else [body]


def _sources(events: list[Any]) -> tuple[str, ...]:
    """The CloudEvents sources of the events a request carries."""
    found = sorted({e["source"] for e in events if isinstance(e, dict) and "source" in e})
    return tuple(s for s in found if isinstance(s, str)) or ("/",)


def _actor(events: list[Any]) -> str | None:
    """The one actor the events' data name (by each type's field for it), if exactly one."""
    names = set()
    for event in events:
        if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
            continue
        event_type = (
            CATALOGUE.get(event.get("type")) if isinstance(event.get("type"), str) else None
        )
        if event_type is None:
            continue
        legacy = event_type.legacy
        field = legacy.field_name("actor") if legacy is not None else "actor"
        given = event["data"].get(field)
        if isinstance(given, str):
            names.add(given)
    return names.pop() if len(names) == 1 else None


class SignedIn(TestClient):
    """A TestClient that signs its requests in as the route needs (see the module's doc)."""

    def __init__(self, app: FastAPI, *, as_role: Role | None = None, region: str = "", **kw: Any):
        super().__init__(app, **kw)
        self.as_role = as_role
        self.region = region
        self.credentials = Credentials(self)
        self.speaking_as: Principal | None = None  # `speak_as`: every request as this caller
        self.nobody = False  # `speak_as(None)`: requests carry no credential at all
        # named by an `x-test-as` header; "suite-auditor" reads everything, whoever speaks
        self.principals: dict[str, Principal] = {
            "suite-auditor": Principal("suite-auditor", "account", Role.AUDITOR, "suite-auditor")
        }

    def speak_as(self, principal: Principal | None) -> None:
        """From now on, sign every request in as a credential made for this principal (its
        role, region, department or provider, sources and types), or as nobody."""
        self.speaking_as, self.nobody = principal, principal is None

    def _as_principal(self, p: Principal) -> dict[str, str]:
        """Credentials of the real kind for a principal: a client token, or a session."""
        creds = self.credentials
        if p.kind == "client":
            fields = {
                "department": p.department or p.actor,
                "provider": p.provider,
                "provider_record": p.provider_record,
            }
            token = creds.client_token(
                p.role, sources=p.sources, region=p.region, client_id=p.subject,
                types=p.event_types or ("cn.zhulian.*",),
                **{k: v for k, v in fields.items() if v},
            )  # fmt: skip
            return {"authorization": "Bearer " + token}
        fields = {"department": p.department or p.actor} if p.role is not Role.PROVIDER else {}
        if p.provider:
            fields["provider"] = p.provider
        if p.provider_record:
            fields["provider_record"] = p.provider_record
        cookie = creds.session(p.role, p.region, name=p.subject, **fields)
        return {"cookie": f"zhulian_session={cookie}", "x-csrf-token": self._csrf(cookie)}

    def _authorization(self, method: str, path: str, kwargs: dict[str, Any]) -> dict[str, str]:
        creds = self.credentials
        role = self.as_role
        if role is None and method in ("GET", "HEAD"):
            role = Role.AUDITOR
        if role is not None and role is not Role.PUBLISHER:
            cookie = creds.session(role, self.region)
            self.cookies.set("zhulian_session", cookie)
            if method in ("GET", "HEAD"):
                return {}
            return {"x-csrf-token": self._csrf(cookie)}
        if path == "/v1/events" or role is Role.PUBLISHER:
            events = _events(kwargs, kwargs.get("headers"))
            actor = _actor(events)  # the department the events say acted: the client is it
            extra = {"department": actor} if actor else {}
            token = creds.client_token(Role.PUBLISHER, sources=_sources(events), **extra)
        elif path == "/v1/hsds/import":
            token = creds.client_token(Role.PUBLISHER, sources=("/",))
        elif path.startswith("/v1/admin/"):
            token = creds.client_token(Role.ADMINISTRATOR)
        else:
            token = creds.client_token(Role.COORDINATOR)
        return {"authorization": "Bearer " + token}

    def _csrf(self, cookie: str) -> str:
        session = self.credentials.authority.session(cookie)
        return session.csrf if session is not None else ""

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Send with credentials unless the caller gave an authorization header itself."""
        headers = dict(kwargs.get("headers") or {})
        named = headers.pop("x-test-as", None)
        explicit = any(k.lower() in ("authorization", "cookie") for k in headers)
        path = str(url).split("?", 1)[0]
        # `speak_as` covers what the person does (pages, reads, API calls); the department
        # systems' events (POST /v1/events) keep going as their sources' publishers
        speaker = None if path.endswith("/v1/events") else self.speaking_as
        if not explicit and (named is not None or speaker is not None):
            principal = self.principals[named] if named is not None else speaker
            assert principal is not None
            self.cookies.clear()
            headers = {**self._as_principal(principal), **headers}
        elif self.nobody and not explicit:
            self.cookies.clear()
            kwargs["headers"] = headers
            return super().request(method, url, **kwargs)
        if not any(k.lower() in ("authorization", "cookie") for k in headers):
            path = str(url).split("?", 1)[0]
            if "://" in path:
                path = "/" + path.split("://", 1)[1].partition("/")[2]
            merged = {**self._authorization(method.upper(), path, kwargs), **headers}
            kwargs["headers"] = merged
        else:
            kwargs["headers"] = {k: v for k, v in headers.items() if v != ""}
        return super().request(method, url, **kwargs)
