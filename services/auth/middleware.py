"""Authentication and the route policy on every request, before any router runs.

A bearer token (ours or the external issuer's) or a session cookie becomes the request's
`Principal`; unsafe methods on a cookie need the session's CSRF token; the policy table decides
the rest (deny by default). Blocking lookups run in a thread.
"""

from __future__ import annotations

import hmac
import sqlite3
from typing import Any
from urllib.parse import parse_qs, quote

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.auth import jurisdiction
from services.auth.authority import Authority
from services.auth.limits import retry_after
from services.auth.policy import rule_for
from services.auth.principal import Principal
from services.auth.tokens import TokenError
from services.errors import is_part_failure

COOKIE = "zhulian_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY = {"Retry-After": "5"}
MAX_FORM_BYTES = 1_048_576  # a CSRF token is looked for in forms up to this size


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An RFC 9457 problem response."""
    body = {
        "type": f"https://zhulian.example/problems/{title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return JSONResponse(
        body, status_code=status, headers=headers, media_type="application/problem+json"
    )


def is_page(path: str) -> bool:
    """The people's pages (a browser is redirected to the login page, not given a 401)."""
    return path == "/" or path.startswith("/ui/")


def _unauthenticated(scope: Scope, detail: str, error: str | None = None) -> Response:
    path = scope["path"]
    if is_page(path) and scope["method"] in SAFE:
        query = scope.get("query_string", b"").decode("latin-1")
        target = path + ("?" + query if query else "")
        return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
    challenge = 'Bearer realm="zhulian"' + (f', error="{error}"' if error else "")
    return problem(401, "Unauthorized", detail, {"WWW-Authenticate": challenge})


class Authentication:
    """Pure ASGI middleware: principal, CSRF, policy, write limits."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        rule = rule_for(method, path)
        if rule is None:
            await problem(404, "Not found", f"no route {method} {path}")(scope, receive, send)
            return
        authority: Authority = scope["app"].state.auth
        headers = Headers(scope=scope)
        try:
            principal, csrf, refusal = await self._identify(authority, scope, headers)
        except Exception as error:
            if not (is_part_failure(error) or isinstance(error, sqlite3.OperationalError)):
                raise
            if rule.public:  # probes and the catalogue answer whoever asks, store or not
                await self._call(None, scope, receive, send)
                return
            detail = f"the credential store failed ({type(error).__name__}); retry later"
            unavailable = problem(503, "Credential store unavailable", detail, RETRY)
            await unavailable(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf
        if rule.public:
            state["principal"] = principal
            await self._call(principal, scope, receive, send)
            return
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if principal is None:
            response = _unauthenticated(scope, "sign in, or send a bearer access token")
            await response(scope, receive, send)
            return
        if principal.role not in rule.roles:
            detail = f"the role {principal.role} may not call {method} {rule.template}"
            await problem(403, "Forbidden", detail)(scope, receive, send)
            return
        if method not in SAFE:
            if csrf is not None and not headers.get("authorization"):
                receive, ok = await _csrf_checked(scope, receive, headers, csrf)
                if not ok:
                    detail = "a signed-in browser's change needs the session's CSRF token"
                    await problem(403, "CSRF token missing or wrong", detail)(scope, receive, send)
                    return
            wait = authority.writes.take(principal.subject)
            if wait:
                limited = problem(
                    429, "Too many requests", "this credential's write rate is exhausted",
                    {"Retry-After": retry_after(wait)},
                )  # fmt: skip
                await limited(scope, receive, send)
                return
        state["principal"] = principal
        await self._call(principal, scope, receive, send)

    async def _call(
        self, principal: Principal | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        token = jurisdiction.current.set(principal)
        try:
            await self.app(scope, receive, send)
        finally:
            jurisdiction.current.reset(token)

    async def _identify(
        self, authority: Authority, scope: Scope, headers: Headers
    ) -> tuple[Principal | None, str | None, Response | None]:
        """(principal, the session's CSRF token, a refusal for a bad credential)."""
        authorization = headers.get("authorization")
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer":
                if scope["path"] == "/v1/oauth/token":  # HTTP Basic is the client's credential
                    return None, None, None
                return None, None, _unauthenticated(scope, "use a Bearer token", "invalid_request")
            known = authority.known_bearer(token.strip())
            if known is not None:  # verified before, its client row unchanged: no thread hop
                return known, None, None
            try:
                principal = await anyio.to_thread.run_sync(authority.bearer, token.strip())
            except TokenError as bad:
                refusal = _unauthenticated(scope, f"the token is not valid: {bad}", "invalid_token")
                return None, None, refusal
            return principal, None, None
        cookie = cookie_parser(headers.get("cookie", "")).get(COOKIE)
        if cookie:
            session = await anyio.to_thread.run_sync(authority.session, cookie)
            if session is not None:
                return session.principal, session.csrf, None
        return None, None, None


async def _csrf_checked(
    scope: Scope, receive: Receive, headers: Headers, expected: str
) -> tuple[Receive, bool]:
    """Whether the header or the form field carries the session's CSRF token; the body, read
    to find the field, is handed on unchanged."""
    given = headers.get(CSRF_HEADER)
    if given is not None:
        return receive, hmac.compare_digest(given.encode(), expected.encode())
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return receive, False
    body = bytearray()
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        body += message.get("body", b"")
        if len(body) > MAX_FORM_BYTES or not message.get("more_body", False):
            break
    fields = parse_qs(body.decode("latin-1"))
    given = (fields.get(CSRF_FIELD) or [""])[0]

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay, hmac.compare_digest(given.encode(), expected.encode())


def client_address(scope: Scope) -> str:
    """The peer's address (a proxy in front sets it through uvicorn's --proxy-headers)."""
    client: Any = scope.get("client")
    return str(client[0]) if client else "unknown"
