"""The token endpoint (OAuth2 client credentials, RFC 6749 §4.4), the JWKS, and who-am-I."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs, unquote

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from services.auth.authority import Authority
from services.auth.limits import retry_after
from services.auth.principal import principal_of
from services.errors import Problem

router = APIRouter(tags=["access"])
MAX_FORM = 8192
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def authority_of(request: Request) -> Authority:
    """The process's credential authority."""
    authority: Authority = request.app.state.auth
    return authority


async def read_form(request: Request) -> dict[str, str]:
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


_OAUTH_ERROR = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
        }
    }
}
_TOKEN_REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Not a client-credentials request (RFC 6749 §5.2)",
        "content": _OAUTH_ERROR,
    },
    401: {"description": "Unknown client or wrong secret (RFC 6749 §5.2)", "content": _OAUTH_ERROR},
    413: {"description": "The form is too large"},
    429: {"description": "Too many attempts for this client", "content": _OAUTH_ERROR},
}


@router.post(
    "/v1/oauth/token",
    summary="An access token for a client (client credentials)",
    responses=_TOKEN_REFUSALS,
)
async def token(request: Request) -> Response:
    """RFC 6749 §4.4: grant_type=client_credentials; the client by HTTP Basic or form fields."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return _oauth_error(400, "invalid_request", "send application/x-www-form-urlencoded")
    form = await read_form(request)
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
        "provider_record": principal.provider_record,
        "sources": list(principal.sources),
    }
