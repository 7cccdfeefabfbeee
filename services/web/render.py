"""The pages' Jinja2 environment: layout, translations, and filters for money, time and codes."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup

from services import divisions
from services.web import i18n, labels, regions

LOCAL = ZoneInfo("Asia/Shanghai")  # the alliances' wall clock
_locale: ContextVar[str] = ContextVar("locale", default=i18n.DEFAULT)


def gettext(message: str, **variables: Any) -> str:
    """The message in the current page's language, with %(name)s variables filled in."""
    text = i18n.translations(_locale.get()).gettext(message)
    return text % variables if variables else text


def N_(message: str) -> str:
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """Singular or plural message in the current page's language."""
    text = i18n.translations(_locale.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def yuan(fen: int | None) -> str:
    """¥1,234.56 from integer fen."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{Decimal(abs(fen)) / 100:,.2f}"


def yuan_number(fen: int) -> Decimal:
    """Exact yuan with two decimals, for exports (Excel keeps it a number)."""
    return Decimal(fen).scaleb(-2)


def to_local(value: Any) -> datetime | None:
    """A stored time as Beijing time."""
    if value in (None, ""):
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.astimezone(LOCAL)


def local_time(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time shown in Beijing time."""
    when = to_local(value)
    return when.strftime(fmt) if when else "—"


def region_name(code: str | None) -> str:
    """The division's county/town/village names, or the bare code when the list lacks it."""
    if not code:
        return "—"
    name = divisions.local_name(code)
    if name is None:
        return code
    return name if divisions.exists(code) else f"{name} · {code}"


def label_of(kind: str, code: object) -> str:
    """The label of a code in the current page's language."""
    return labels.label(kind, code, _locale.get())


def _label(code: object, kind: str) -> str:
    return label_of(kind, code)


def _labels(codes: list[Any] | None, kind: str) -> str:
    return "、".join(_label(c, kind) for c in codes or []) or "—"


@pass_context
def csrf_token(context: Any) -> str:
    """The signed-in session's CSRF token ("" when nobody is signed in by cookie)."""
    request = context.get("request")
    return (getattr(request.state, "csrf_token", None) or "") if request is not None else ""


@pass_context
def csrf_input(context: Any) -> Markup:
    """The hidden field every form that changes something carries (services/auth/middleware)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token(context))


_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
_env.globals["csrf_token"] = csrf_token
_env.globals["csrf_input"] = csrf_input
_env.globals["label_options"] = lambda kind: labels.options(kind, _locale.get())


def add_global(name: str, value: Any) -> None:
    """Offer a function to every template (modules that build on this one register theirs)."""
    _env.globals[name] = value


_env.filters.update(
    yuan=yuan,
    local=local_time,
    region=region_name,
    label=_label,
    labels=_labels,
    number="{:,}".format,
)


def use_locale(locale: str) -> None:
    """Make gettext and labels answer in this locale for the rest of this request."""
    _locale.set(locale)


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v not in (None, "")})
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in the caller's language; `?lang=` is remembered in a cookie."""
    locale = i18n.locale_of(request)
    use_locale(locale)
    html = _env.get_template(template).render(
        request=request,
        locale=locale,
        html_lang=i18n.HTML_LANG[locale],
        url_with=lambda **changes: url_with(request, **changes),
        edition=divisions.edition(),
        region_choices=lambda chosen="": regions.region_choices(
            request.app.state.container.store, chosen or None
        ),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    chosen = i18n.normalise(request.query_params.get("lang"))
    if chosen:
        response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 86400, samesite="lax")
    response.headers["Content-Language"] = i18n.HTML_LANG[locale]
    response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:"
    return response
