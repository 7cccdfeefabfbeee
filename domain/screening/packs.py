"""Rule packs shipped as data: the six standing checks ("666 procedure") and the like."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from domain.screening.rules import Rule, check_expression, check_rule_id
from domain.shared.errors import InvalidValue

PACKS = ("standing-checks",)


@cache
def _load(pack: str) -> dict[str, Any]:
    raw = resources.files("domain.screening").joinpath(f"packs/{pack}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def pack_rules(pack: str) -> list[Rule]:
    """The rules of a shipped pack, each checked like any adopted rule."""
    if pack not in PACKS:
        raise InvalidValue("data.pack", f"unknown pack {pack!r}; packs: {', '.join(PACKS)}")
    rules = []
    for item in _load(pack)["rules"]:
        check_expression(item["expression"], f"pack {pack}: {item['rule_id']}")
        rules.append(
            Rule(
                check_rule_id(item["rule_id"]),
                0,
                item["name"],
                item["expression"],
                item["fix"],
                pack,
            )
        )
    return rules
