"""Reading an alliance's vocabulary."""

from __future__ import annotations

from typing import Any

from projections.runtime.query import ReadStore


def vocabulary_of(store: ReadStore, alliance: str) -> dict[str, Any] | None:
    """The alliance's adopted words by kind, in the order adopted; None before any adoption."""
    rows = store.fetch(
        "SELECT * FROM alliance_vocabulary WHERE alliance = :alliance ORDER BY position",
        {"alliance": alliance},
        "alliance_vocabulary",
    )
    if not rows:
        return None
    words: dict[str, list[dict[str, str]]] = {
        "circles": [],
        "groups": [],
        "categories": [],
        "channels": [],
    }
    for row in rows:
        words[f"{row['kind']}s" if row["kind"] != "category" else "categories"].append(
            {"code": row["code"], "name": row["name"]}
        )
    first = rows[0]
    return {
        "alliance": alliance,
        "edition": first["edition"],
        "adopted_by": first["adopted_by"],
        "adopted_at": first["adopted_at"],
        **words,
    }
