"""Acting from the pages: every form posts here; the event goes through the Ingestor like the API's.

`GET /ui/act/{action}` shows one form on its own (a phone's view of a step); `POST` records it
and goes back to the page it came from, or shows the refusal in plain words with the values kept.
The caller is `principal_of(request)`; without one (before login exists) the answer is 401.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from services.auth.principal import Principal, principal_of
from services.container import Container
from services.web.actions import ACTIONS
from services.web.forms import Action, Refusal, cloud_event, read_form, refusal_of
from services.web.records import Target, find_target
from services.web.render import gettext as _
from services.web.render import render
from services.web.routes.common import ContainerDep

router = APIRouter(include_in_schema=False)
MAX_FORM_BYTES = 256 * 1024


def _action(name: str) -> Action:
    action = ACTIONS.get(name)
    if action is None:
        raise _NotHere()
    return action


class _NotHere(Exception):
    """No such action or record, or one outside the caller's jurisdiction (both 404)."""


def _safe_next(value: str | None, fallback: str) -> str:
    """Only a path on this site: never an open redirect."""
    if not value:
        return fallback
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return fallback
    return value


def _page(
    request: Request,
    action: Action,
    values: Mapping[str, str],
    target: Target | None,
    refusal: Refusal | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "action.html",
        status_code=status_code,
        title=_(action.title),
        action=action,
        values=values,
        target=target,
        refusal=refusal,
        back=_safe_next(values.get("next"), "/"),
    )


def login_needed(request: Request) -> Response:
    """401: the page asks the person to sign in (the auth branch adds the login page)."""
    return render(request, "login_needed.html", status_code=401, title=_("Please sign in"))


def not_found(request: Request) -> Response:
    """404 in the page's language: no such record, or not in the caller's jurisdiction."""
    return render(request, "not_found.html", status_code=404, title=_("Not found"))


def _target(container: Container, principal: Principal, action: Action, values: Any) -> Target:
    target = find_target(container, action.record, values)
    if target is None or not principal.covers(target.region):
        raise _NotHere()
    return target


@router.get("/ui/act/{name}")
def action_form(name: str, request: Request, container: ContainerDep) -> Response:
    """One action's form, filled from the query (e.g. `?need_id=…&candidate_id=…`)."""
    principal = principal_of(request)
    if principal is None:
        return login_needed(request)
    try:
        action = _action(name)
        values = dict(request.query_params)
        return _page(request, action, values, _target(container, principal, action, values))
    except _NotHere:
        return not_found(request)


@router.post("/ui/act/{name}")
async def act(name: str, request: Request, container: ContainerDep) -> Response:
    """Record the form as its CloudEvent; 303 back to the page, or the refusal with the values."""
    principal = principal_of(request)
    if principal is None:
        return login_needed(request)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return Response(status_code=413)
    values = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        action = _action(name)
        target = await run_in_threadpool(_target, container, principal, action, values)
    except _NotHere:
        return await run_in_threadpool(not_found, request)
    refusal: Refusal | None
    try:
        data = {**read_form(action, values), **target.data}
        event = cloud_event(action, data, principal)
        result = await container.writes.run(
            partial(container.ingestor.submit, event, principal=principal)
        )
        container.nudge()
        refusal = refusal_of(result, action)
    except Refusal as refused:
        refusal = refused
    if refusal is not None:
        return await run_in_threadpool(
            _page, request, action, values, target, refusal, refusal.status
        )
    back = urlsplit(_safe_next(values.get("next"), "/"))
    query = [(k, v) for k, v in parse_qsl(back.query) if k != "done"] + [("done", action.name)]
    return RedirectResponse(f"{back.path}?{urlencode(query)}", status_code=303)
