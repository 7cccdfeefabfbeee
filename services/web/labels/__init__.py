"""Readable labels for the codes the service stores, in Chinese and English (data: codes.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_FILE = Path(__file__).parent / "codes.json"


@cache
def table() -> dict[str, dict[str, list[str]]]:
    """kind → code → [Chinese, English]."""
    loaded: dict[str, dict[str, list[str]]] = json.loads(_FILE.read_text(encoding="utf-8"))
    return loaded


def label(kind: str, code: object, locale: str) -> str:
    """The label of a code in a locale; an unknown code is shown as it is."""
    if code is None or code == "":
        return "—"
    pair = table().get(kind, {}).get(str(code))
    if pair is None:
        return str(code)
    return pair[0] if locale == "zh_CN" else pair[1]


def options(kind: str, locale: str) -> list[tuple[str, str]]:
    """(code, label) of every known code of a kind, for filter menus."""
    return [(code, label(kind, code, locale)) for code in table().get(kind, {})]
