"""A view's checksum: the same rows give the same digest in every store."""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

import orjson

from projections.runtime.view import Row, View


class Fetching(Protocol):
    """A store that can run a read query."""

    def fetch(self, sql: str, params: dict[str, Any], table: str) -> list[Row]: ...


def view_checksum(store: Fetching, view: View) -> str:
    """SHA-256 over every row of every table, sorted by key in Python (collations differ)."""
    digest = hashlib.sha256()
    for table in view.tables:
        rows = store.fetch(f"SELECT * FROM {table.name}", {}, table.name)
        rows.sort(key=lambda row: tuple(str(row[k]) for k in table.key))
        digest.update(table.name.encode())
        for row in rows:
            digest.update(orjson.dumps(row, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()
