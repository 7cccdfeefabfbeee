"""Taxonomy terms zhulian publishes, and the declared mapping that classifies imported services.

Both come from `taxonomies.json` (data, editable without a code change). An imported service is
classified only by what that file declares: a term of `zhulian-need-type` / `zhulian-category`,
a term of a mapped external taxonomy (e.g. Open Eligibility), or a category whose need type the
file declares. Nothing else is guessed; what is missing is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from uuid import NAMESPACE_URL, uuid5

NAMESPACE = uuid5(NAMESPACE_URL, "https://zhulian.example/hsds")


def stable_id(*parts: str) -> str:
    """A UUID derived from its parts: the same object gets the same id in every export."""
    return str(uuid5(NAMESPACE, "\x1f".join(parts)))


@cache
def data() -> dict[str, Any]:
    """The taxonomies and the mapping, as declared."""
    text = resources.files("services.hsds").joinpath("taxonomies.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def term(taxonomy: str, code: str) -> dict[str, Any]:
    """An HSDS 3.0 taxonomy_term (id, code, name, description, taxonomy) of one of ours."""
    declared = data()["taxonomies"][taxonomy]
    if code in declared.get("terms", {}):
        name, description = declared["terms"][code]
    else:
        fallback = [code, f"{declared['description']}: {{code}}"]
        name, description = (text.format(code=code) for text in declared.get("open", fallback))
    return {
        "id": stable_id(taxonomy, code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
    }


def field_of(taxonomy: str) -> str | None:
    """Which of our fields a taxonomy of ours sets (need_type, category, region …)."""
    declared = data()["taxonomies"].get(taxonomy)
    return None if declared is None else str(declared["field"])


@dataclass
class Classification:
    """What the declared mapping made of a service's attributes."""

    need_type: str | None = None
    category: str | None = None
    notes: list[str] = field(default_factory=list)


def _key(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "-")


def classify(terms: list[dict[str, Any]]) -> Classification:
    """Need type and category from taxonomy terms, by the declared mapping only."""
    out = Classification()
    external = data()["external"]
    for t in terms:
        taxonomy = str(t.get("taxonomy") or "")
        code = str(t.get("code") or "")
        target = field_of(taxonomy)
        if target in ("need_type", "category") and code in data()["taxonomies"][taxonomy]["terms"]:
            if getattr(out, target) is None:
                setattr(out, target, code)
            continue
        mapped = external.get(_key(taxonomy), {})
        category = mapped.get(_key(code)) or mapped.get(_key(t.get("name")))
        if category and out.category is None:
            out.category = category
            out.notes.append(f"category {category} from {taxonomy} term {code or t.get('name')}")
    if out.category and out.need_type is None:
        declared = data()["need_type_by_category"].get(out.category)
        if declared:
            out.need_type = declared
            out.notes.append(f"need type {declared} declared for category {out.category}")
    return out
