"""The token endpoint (OAuth2 client credentials, RFC 6749 §4.4), the JWKS, the login page,
logout, and who-am-I."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs, unquote

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from services.auth.authority import Authority
from services.auth.limits import retry_after
from services.auth.middleware import COOKIE, client_address
from services.auth.principal import principal_of
from services.errors import Problem
from services.web import i18n
from services.web.render import gettext, render, use_locale

router = APIRouter(tags=["access"])
MAX_FORM = 8192
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def authority_of(request: Request) -> Authority:
    """The process's credential authority."""
    authority: Authority = request.app.state.auth
    return authority


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM:
        raise Problem(413, "Content too large", f"a form is at most {MAX_FORM} bytes")
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _oauth_error(status: int, error: str, description: str, basic: bool = False) -> JSONResponse:
    headers = dict(NO_STORE)
    if basic:
        headers["WWW-Authenticate"] = 'Basic realm="zhulian"'
    body = {"error": error, "error_description": description}
    return JSONResponse(body, status_code=status, headers=headers)


@router.post("/v1/oauth/token", summary="An access token for a client (client credentials)")
async def token(request: Request) -> Response:
    """RFC 6749 §4.4: grant_type=client_credentials; the client by HTTP Basic or form fields."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return _oauth_error(400, "invalid_request", "send application/x-www-form-urlencoded")
    form = await _form(request)
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is offered")
    basic = request.headers.get("authorization", "")
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if basic[:6].lower() == "basic ":
        try:
            pair = base64.b64decode(basic[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return _oauth_error(401, "invalid_client", "malformed Basic credentials", True)
        user, _, password = pair.partition(":")
        client_id, secret = unquote(user), unquote(password)  # RFC 6749 §2.3.1 form-encodes
    if not client_id or not secret:
        return _oauth_error(401, "invalid_client", "no client credentials", bool(basic))
    authority = authority_of(request)
    wait = authority.logins_by_name.take("client:" + client_id)
    if wait:
        return JSONResponse(
            {"error": "slow_down", "error_description": "too many attempts for this client"},
            status_code=429,
            headers={**NO_STORE, "Retry-After": retry_after(wait)},
        )
    issued = await anyio.to_thread.run_sync(authority.token, client_id, secret)
    if issued is None:
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret", bool(basic))
    access_token, lifetime = issued
    body = {"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime}
    return JSONResponse(body, headers=NO_STORE)


@router.get("/.well-known/jwks.json", summary="The keys access tokens are signed with")
def jwks(request: Request) -> dict[str, Any]:
    """Every key that still verifies, current first (RFC 7517)."""
    return authority_of(request).tokens.jwks()


@router.get("/v1/me", summary="Who the credential of this request is")
def me(request: Request) -> dict[str, Any]:
    """The caller's principal (no secret)."""
    principal = principal_of(request)
    assert principal is not None  # the policy lets only signed-in callers here
    return {
        "subject": principal.subject,
        "kind": principal.kind,
        "role": str(principal.role),
        "actor": principal.actor,
        "region": principal.region,
        "department": principal.department,
        "provider": principal.provider,
        "sources": list(principal.sources),
    }


def _title(request: Request) -> str:
    use_locale(i18n.locale_of(request))
    return gettext("Sign in")


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request) -> Response:
    """The login form."""
    return render(
        request,
        "login.html",
        title=_title(request),
        next=_safe_next(request.query_params.get("next")),
    )


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> Response:
    """Check a name and password; on success a session cookie and a redirect to `next`."""
    form = await _form(request)
    name, password = form.get("name", "").strip(), form.get("password", "")
    target = _safe_next(form.get("next"))
    authority = authority_of(request)
    address = client_address(request.scope)
    wait = max(
        authority.logins_by_name.take("account:" + name),
        authority.logins_by_address.take(address),
    )
    if wait:
        await anyio.to_thread.run_sync(
            authority.store.record, "login_failed", "account", name[:64], address, "rate limited"
        )
        response = render(
            request, "login.html", 429, title=_title(request), next=target, error="limited"
        )
        response.headers["Retry-After"] = retry_after(wait)
        return response
    signed_in = await anyio.to_thread.run_sync(authority.login, name, password, address)
    if signed_in is None:
        return render(request, "login.html", 401, title=_title(request), next=target, error="wrong")
    session_id, _ = signed_in
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=authority.settings.session_lifetime,
        path="/",
        httponly=True,
        samesite="strict",
        secure=authority.settings.profile == "production",
    )
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    """End the session (the middleware checked its CSRF token) and go back to the login page."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        await anyio.to_thread.run_sync(authority_of(request).logout, session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
