"""The login page (`GET/POST /login`) and `POST /logout`: people's sessions by cookie."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.auth.limits import retry_after
from services.auth.middleware import COOKIE, client_address
from services.auth.routes import authority_of, read_form
from services.web import i18n
from services.web.render import gettext, render, use_locale

router = APIRouter(include_in_schema=False)


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
    form = await read_form(request)
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
    redirect = RedirectResponse(target, status_code=303)
    redirect.set_cookie(
        COOKIE,
        session_id,
        max_age=authority.settings.session_lifetime,
        path="/",
        httponly=True,
        samesite="strict",
        secure=authority.settings.profile == "production",
    )
    return redirect


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    """End the session (the middleware checked its CSRF token) and go back to the login page."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        await anyio.to_thread.run_sync(authority_of(request).logout, session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
