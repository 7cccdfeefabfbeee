"""The coordinators' pages: Jinja2 templates, zh-CN first (English by choice), exports, charts."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from services.web import i18n
from services.web.actions import done_message
from services.web.render import add_global, use_locale
from services.web.routes import (
    act,
    alerts,
    checks,
    home,
    households,
    matching,
    money,
    needs,
    referrals,
    screening,
    statistics,
    steps,
    supply,
)

_STATIC = Path(__file__).parent / "static"


async def page_locale(request: Request) -> None:
    """Answer in the caller's language for the whole request (runs on the loop: no blocking)."""
    use_locale(i18n.locale_of(request))


def install(app: FastAPI) -> None:
    """Serve the pages and their static files."""
    app.mount("/static/web", StaticFiles(directory=_STATIC), name="web-static")
    add_global("done_message", done_message)
    pages = (home, needs, referrals, households, supply, money, matching, statistics)
    for module in (*pages, alerts, screening, checks, steps, act):
        app.include_router(module.router, dependencies=[Depends(page_locale)])
