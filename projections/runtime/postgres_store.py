"""The production view store: PostgreSQL, rows and position committed together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor
from psycopg_pool import ConnectionPool

from projections.runtime.checksum import view_checksum
from projections.runtime.sql import POSTGRES, SqlTx, create_statements
from projections.runtime.tables import Table
from projections.runtime.view import HandlerFailed, Row, View

_POSITIONS = """CREATE TABLE IF NOT EXISTS view_positions (
    view TEXT PRIMARY KEY, position BIGINT NOT NULL, schema_version INTEGER NOT NULL)"""


class PostgresViewStore:
    """Views in PostgreSQL; the position row lock makes concurrent runners take turns."""

    dialect = POSTGRES

    def __init__(self, url: str, pool_size: int = 4) -> None:
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True)
        self._tables: dict[str, Table] = {}
        with self._pool.connection() as conn:
            conn.execute(_POSITIONS)

    def close(self) -> None:
        """Close the connection pool."""
        self._pool.close()

    def ensure(self, view: View) -> None:
        """Create the view's tables; a changed schema version drops them so they rebuild."""
        for table in view.tables:
            self._tables[table.name] = table
        with self._pool.connection() as conn, conn.cursor() as cur:
            # Serialise schema changes between processes starting at once.
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('zhulian-views-ddl'))")
            cur.execute("SELECT schema_version FROM view_positions WHERE view = %s", (view.name,))
            found = cur.fetchone()
            if found is not None and found[0] != view.schema_version:
                self._drop(cur, view)
                found = None
            for table in view.tables:
                for statement in create_statements(table, self.dialect):
                    cur.execute(statement)
            if found is None:
                cur.execute(
                    "INSERT INTO view_positions VALUES (%s, 0, %s) ON CONFLICT DO NOTHING",
                    (view.name, view.schema_version),
                )

    def _drop(self, cur: Cursor[Any], view: View) -> None:
        for table in view.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table.name}")
        cur.execute("DELETE FROM view_positions WHERE view = %s", (view.name,))

    def reset(self, view: View) -> None:
        """Drop the view's rows and position, ready to replay from the start."""
        with self._pool.connection() as conn, conn.cursor() as cur:
            self._drop(cur, view)
        self.ensure(view)

    def position(self, view: View) -> int:
        """The last log position this view has applied (0 for none)."""
        with self._pool.connection() as conn:
            found = conn.execute(
                "SELECT position FROM view_positions WHERE view = %s", (view.name,)
            ).fetchone()
        return int(found[0]) if found else 0

    def apply(self, view: View, batch: Sequence[tuple[int, Any]]) -> int:
        """Apply events after the stored position and store the new position, in one transaction."""
        handlers = view.handlers()
        with self._pool.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT position FROM view_positions WHERE view = %s FOR UPDATE", (view.name,)
            )
            row = cur.fetchone()
            if row is None:
                raise RuntimeError(f"view {view.name} has no position row; call ensure() first")
            position = int(row[0])
            tx = SqlTx(cur, self.dialect, self._tables)
            applied = 0
            for notification_id, event in batch:
                if notification_id <= position:
                    continue  # already applied: redelivery changes nothing
                handler = handlers.get(type(event))
                if handler is not None:
                    try:
                        handler(event, tx, notification_id)
                    except Exception as error:
                        raise HandlerFailed(
                            notification_id, type(event).__qualname__, error
                        ) from error
                    applied += 1
                position = notification_id
            cur.execute(
                "UPDATE view_positions SET position = %s WHERE view = %s", (position, view.name)
            )
        return applied

    def fetch(self, sql: str, params: dict[str, Any], table: str) -> list[Row]:
        """Run a portable read query and decode columns by the named table's types."""
        types = self._tables[table].types()
        with self._pool.connection() as conn, conn.cursor() as cur:
            cur.execute(self.dialect.render(sql), params)
            names = [d[0] for d in cur.description or ()]
            return [
                {
                    n: self.dialect.decode(types.get(n, "text"), v)
                    for n, v in zip(names, r, strict=True)
                }
                for r in cur.fetchall()
            ]

    def scalar(self, sql: str, params: dict[str, Any]) -> Any:
        """Run a portable query that returns one value."""
        with self._pool.connection() as conn:
            row = conn.execute(self.dialect.render(sql), params).fetchone()
        return row[0] if row else None

    def checksum(self, view: View) -> str:
        """A digest of every row of every table of the view."""
        return view_checksum(self, view)
