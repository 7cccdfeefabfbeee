"""Which language a page is in, and its message catalogue (zh-CN first, English by choice).

Catalogues are the `.po` files under `locale/`; they are compiled in memory when first used, so
there is no build step and no `.mo` file to forget. English is the source language.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

LOCALES = ("zh_CN", "en")
DEFAULT = "zh_CN"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
COOKIE = "lang"
_DIR = Path(__file__).parent / "locale"


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of a locale (English has none: its messages are the source)."""
    po = _DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _from_header(header: str) -> str | None:
    """The best supported locale named by an Accept-Language header, by its q values."""
    choices = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        choices.append((-q, i, tag.strip().lower()))
    for _, _, tag in sorted(choices):
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return None


def normalise(value: str | None) -> str | None:
    """A supported locale from `zh`, `zh-CN`, `zh_CN`, `en`, `en-GB` …, or None."""
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    if value.startswith("zh"):
        return "zh_CN"
    if value.startswith("en"):
        return "en"
    return None


def locale_of(request: Request) -> str:
    """`?lang=`, then the `lang` cookie, then Accept-Language, then Chinese."""
    return (
        normalise(request.query_params.get("lang"))
        or normalise(request.cookies.get(COOKIE))
        or _from_header(request.headers.get("accept-language", ""))
        or DEFAULT
    )
