"""Portable SQL for view tables: one set of statements, rendered for SQLite or PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from projections.runtime.tables import ColumnType, Table
from projections.runtime.view import Row

_NAMED = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Dialect:
    """What differs between the stores: placeholders and column types."""

    name: str
    types: dict[ColumnType, str]
    named_param: str  # format with the parameter name

    def render(self, sql: str) -> str:
        """Turn portable ':name' parameters into this dialect's placeholders."""
        return _NAMED.sub(lambda m: self.named_param.format(m.group(1)), sql)

    def encode(self, kind: ColumnType, value: Any) -> Any:
        """A Python value as this dialect stores it."""
        if value is None:
            return None
        if kind == "json":
            return orjson.dumps(value).decode()
        if kind == "ts" and isinstance(value, datetime):
            return to_utc_text(value) if self.name == "sqlite" else value
        if kind == "bool":
            return int(value) if self.name == "sqlite" else bool(value)
        return value

    def decode(self, kind: ColumnType, value: Any) -> Any:
        """A stored value as Python sees it."""
        if value is None:
            return None
        if kind == "json":
            return orjson.loads(value) if isinstance(value, str | bytes) else value
        if kind == "bool":
            return bool(value)
        if kind == "ts" and isinstance(value, datetime):
            return to_utc_text(value)
        return value


def to_utc_text(value: datetime) -> str:
    """A timestamp as fixed-width UTC ISO text, so text order is time order."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


SQLITE = Dialect(
    "sqlite",
    {"text": "TEXT", "int": "INTEGER", "bool": "INTEGER", "ts": "TEXT", "json": "TEXT"},
    ":{}",
)
POSTGRES = Dialect(
    "postgres",
    {"text": "TEXT", "int": "BIGINT", "bool": "BOOLEAN", "ts": "TIMESTAMPTZ", "json": "JSONB"},
    "%({})s",
)


def create_statements(table: Table, dialect: Dialect) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one table."""
    columns = ", ".join(f"{c.name} {dialect.types[c.type]}" for c in table.columns)
    statements = [
        f"CREATE TABLE IF NOT EXISTS {table.name} ({columns}, PRIMARY KEY ({', '.join(table.key)}))"
    ]
    for index in table.indexes:
        name = f"{table.name}_{'_'.join(index)}_idx"
        statements.append(f"CREATE INDEX IF NOT EXISTS {name} ON {table.name} ({', '.join(index)})")
    return statements


class SqlTx:
    """The handlers' row operations over one open DB-API cursor."""

    def __init__(self, cursor: Any, dialect: Dialect, tables: dict[str, Table]) -> None:
        self._cursor = cursor
        self._dialect = dialect
        self._tables = tables

    def _run(self, sql: str, params: dict[str, Any]) -> None:
        self._cursor.execute(self._dialect.render(sql), params)

    def _encode(self, table: Table, row: Row) -> dict[str, Any]:
        types = table.types()
        return {k: self._dialect.encode(types[k], v) for k, v in row.items()}

    def _where(self, table: Table, key: Row) -> str:
        if set(key) != set(table.key):
            raise KeyError(f"{table.name}: key must be {table.key}, got {tuple(key)}")
        return " AND ".join(f"{k} = :{k}" for k in table.key)

    def flush(self) -> None:
        """Nothing to write: every operation was sent as it happened."""

    def get(self, table: str, **key: Any) -> Row | None:
        """The row with this key, or None."""
        t = self._tables[table]
        self._run(f"SELECT * FROM {t.name} WHERE {self._where(t, key)}", self._encode(t, key))
        found = self._cursor.fetchone()
        if found is None:
            return None
        names = [d[0] for d in self._cursor.description]
        types = t.types()
        return {n: self._dialect.decode(types[n], v) for n, v in zip(names, found, strict=True)}

    def find(self, table: str, **where: Any) -> list[Row]:
        """Rows whose columns equal the given values; a list or tuple value means "one of"."""
        t = self._tables[table]
        types = t.types()
        clauses, params = [], {}
        for column, value in where.items():
            if isinstance(value, list | tuple):
                if not value:
                    return []
                names = [f"{column}_{i}" for i in range(len(value))]
                clauses.append(f"{column} IN ({', '.join(':' + n for n in names)})")
                params.update(
                    {
                        n: self._dialect.encode(types[column], v)
                        for n, v in zip(names, value, strict=True)
                    }
                )
            else:
                clauses.append(f"{column} = :{column}")
                params[column] = self._dialect.encode(types[column], value)
        condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        self._run(f"SELECT * FROM {t.name}{condition}", params)
        names = [d[0] for d in self._cursor.description]
        return [
            {n: self._dialect.decode(types[n], v) for n, v in zip(names, row, strict=True)}
            for row in self._cursor.fetchall()
        ]

    def upsert(self, table: str, row: Row) -> None:
        """Insert the row, or replace the row with the same key."""
        t = self._tables[table]
        names = list(row)
        updates = [n for n in names if n not in t.key]
        conflict = (
            f"DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in updates)}"
            if updates
            else "DO NOTHING"
        )
        values = ", ".join(":" + n for n in names)
        self._run(
            f"INSERT INTO {t.name} ({', '.join(names)}) VALUES ({values})"
            f" ON CONFLICT ({', '.join(t.key)}) {conflict}",
            self._encode(t, row),
        )

    def update(self, table: str, key: Row, **changes: Any) -> None:
        """Change some columns of the row with this key (no row, no change)."""
        t = self._tables[table]
        overlap = set(changes) & set(key)
        if overlap:
            raise KeyError(f"{table}: cannot change key columns {sorted(overlap)}")
        sets = ", ".join(f"{n} = :{n}" for n in changes)
        params = self._encode(t, {**changes, **key})
        self._run(f"UPDATE {t.name} SET {sets} WHERE {self._where(t, key)}", params)

    def delete(self, table: str, **key: Any) -> None:
        """Remove the row with this key."""
        t = self._tables[table]
        self._run(f"DELETE FROM {t.name} WHERE {self._where(t, key)}", self._encode(t, key))
