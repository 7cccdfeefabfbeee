"""A unit of work for handlers: rows cached for the batch, written in a few bulk statements.

Handlers read and change rows one key at a time; sending each change as its own statement costs
a round trip per row. Here a batch's changes are kept in memory and written at its end with one
`executemany` per table, inside the same transaction as the position.
"""

from __future__ import annotations

from typing import Any

from projections.runtime.sql import Dialect, SqlTx
from projections.runtime.tables import Table
from projections.runtime.view import Row

Key = tuple[Any, ...]
COPY_THRESHOLD = 64  # below this many rows, executemany's pipeline is as fast as COPY


class BufferedTx(SqlTx):
    """SqlTx semantics, with reads served from and writes collected in a per-batch cache."""

    def __init__(self, cursor: Any, dialect: Dialect, tables: dict[str, Table]) -> None:
        super().__init__(cursor, dialect, tables)
        self._rows: dict[str, dict[Key, Row | None]] = {}
        self._dirty: dict[str, set[Key]] = {}

    def _key(self, table: Table, values: Row) -> Key:
        try:
            if len(table.key) == 1:
                return (values[table.key[0]],)
            return tuple([values[k] for k in table.key])
        except KeyError:
            raise KeyError(f"{table.name}: key must be {table.key}, got {tuple(values)}") from None

    def _cached(self, table: str, key: Key) -> tuple[bool, Row | None]:
        rows = self._rows.get(table)
        if rows is not None and key in rows:
            return True, rows[key]
        return False, None

    def get(self, table: str, **key: Any) -> Row | None:
        """The row with this key: from the batch's cache, else from the database."""
        t = self._tables[table]
        if len(key) != len(t.key):
            raise KeyError(f"{table}: key must be {t.key}, got {tuple(key)}")
        k = self._key(t, key)
        hit, row = self._cached(table, k)
        if hit:
            return row
        row = super().get(table, **key)
        self._rows.setdefault(table, {})[k] = row
        return row

    def _put(self, table: str, key: Key, row: Row | None) -> None:
        self._rows.setdefault(table, {})[key] = row
        self._dirty.setdefault(table, set()).add(key)

    def upsert(self, table: str, row: Row) -> None:
        """Insert or replace (the given columns of) the row with this key."""
        t = self._tables[table]
        k = self._key(t, row)
        if set(row) == set(t.column_names):
            self._put(table, k, dict(row))
            return
        existing = self.get(table, **dict(zip(t.key, k, strict=True)))
        base = existing if existing is not None else dict.fromkeys(t.column_names)
        self._put(table, k, {**base, **row})

    def update(self, table: str, key: Row, **changes: Any) -> None:
        """Change some columns of the row with this key (no row, no change)."""
        t = self._tables[table]
        overlap = set(changes) & set(key)
        if overlap:
            raise KeyError(f"{table}: cannot change key columns {sorted(overlap)}")
        existing = self.get(table, **key)
        if existing is not None:
            self._put(table, self._key(t, key), {**existing, **changes})

    def delete(self, table: str, **key: Any) -> None:
        """Remove the row with this key."""
        t = self._tables[table]
        self.get(table, **key)
        self._put(table, self._key(t, key), None)

    def find(self, table: str, **where: Any) -> list[Row]:
        """Rows matching the values; the batch's changes to that table are written first."""
        self._flush_table(table)
        rows = super().find(table, **where)
        t = self._tables[table]
        cache = self._rows.setdefault(table, {})
        for row in rows:
            cache[self._key(t, row)] = row
        return rows

    def flush(self) -> None:
        """Write every changed row: one bulk upsert and one bulk delete per table."""
        for table in list(self._dirty):
            self._flush_table(table)

    def _flush_table(self, table: str) -> None:
        """Write one table's changed rows (a query reads one table: only its rows must be in)."""
        keys = self._dirty.pop(table, None)
        if not keys:
            return
        t = self._tables[table]
        rows = self._rows[table]
        upserts = [row for k in keys if (row := rows[k]) is not None]
        deletes = [k for k in keys if rows[k] is None]
        if upserts:
            self._bulk_upsert(t, upserts)
        if deletes:
            where = " AND ".join(f"{k} = :{k}" for k in t.key)
            self._cursor.executemany(
                self._dialect.render(f"DELETE FROM {t.name} WHERE {where}"),
                [self._encode(t, dict(zip(t.key, k, strict=True))) for k in deletes],
            )

    def _bulk_upsert(self, table: Table, rows: list[Row]) -> None:
        if table.append_only and self._dialect.name == "postgres" and len(rows) >= COPY_THRESHOLD:
            self._copy(table, table.name, rows)
            return
        if self._dialect.name == "postgres" and len(rows) >= COPY_THRESHOLD:
            self._copy_upsert(table, rows)
            return
        names = table.column_names
        updates = [n for n in names if n not in table.key]
        conflict = (
            f"DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in updates)}"
            if updates
            else "DO NOTHING"
        )
        values = ", ".join(":" + n for n in names)
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({values})"
            f" ON CONFLICT ({', '.join(table.key)}) {conflict}"
        )
        self._cursor.executemany(self._dialect.render(sql), [self._encode(table, r) for r in rows])

    def _copy_upsert(self, table: Table, rows: list[Row]) -> None:
        """COPY into a temporary table, then one INSERT … ON CONFLICT: the fastest bulk upsert."""
        names = table.column_names
        stage = f"stage_{table.name}"
        self._cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage}"
            f" (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        self._copy(table, stage, rows)
        updates = [n for n in names if n not in table.key]
        conflict = (
            f"DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in updates)}"
            if updates
            else "DO NOTHING"
        )
        self._cursor.execute(
            f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(names)}"
            f" FROM {stage} ON CONFLICT ({', '.join(table.key)}) {conflict}"
        )
        self._cursor.execute(f"TRUNCATE {stage}")

    def _copy(self, table: Table, target: str, rows: list[Row]) -> None:
        names = table.column_names
        types = table.types()
        columns = [(n, types[n]) for n in names]
        encode = self._dialect.encode
        with self._cursor.copy(f"COPY {target} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:  # straight to the row's values: a rebuild copies millions
                copy.write_row([encode(kind, row.get(n)) for n, kind in columns])
