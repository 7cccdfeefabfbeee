"""The production view store: PostgreSQL, rows and position committed together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import Cursor
from psycopg_pool import ConnectionPool, PoolTimeout

from projections.runtime.sql import POSTGRES
from projections.runtime.store import POSITIONS_DDL, STOPPED_EVENT_COLUMN, SqlViewStore
from projections.runtime.tables import Table

# SQLSTATE classes of the server failing rather than of the data: connection, rollback for
# serialisation or deadlock, resources, operator intervention, system errors; lock timeout.
_TRANSIENT_CLASSES = ("08", "40", "53", "57", "58")


def postgres_transient(error: BaseException) -> bool:
    """Whether a psycopg failure is the server or the pool's (retry later), not the data's."""
    if isinstance(error, PoolTimeout | psycopg.InterfaceError):
        return True
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = error.sqlstate
    return state is None or state.startswith(_TRANSIENT_CLASSES) or state == "55P03"


class PostgresViewStore(SqlViewStore):
    """Views in PostgreSQL; runners share streams through SKIP LOCKED on the position rows."""

    dialect = POSTGRES
    lock_clause = " FOR UPDATE SKIP LOCKED"

    def __init__(
        self, url: str, pool_size: int = 4, schema: str | None = None, timeout: float = 5.0
    ) -> None:
        super().__init__()
        self.url = url
        self.schema = schema
        kwargs: dict[str, Any] = {}
        if schema:
            kwargs["options"] = f"-c search_path={schema}"
        # A bounded wait: while PostgreSQL is down, reads and health answer 503 in seconds.
        self._pool = ConnectionPool(
            url, min_size=1, max_size=pool_size, kwargs=kwargs, open=True, timeout=timeout
        )
        with self._transaction() as cur:
            if schema:
                cur.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            cur.execute(POSITIONS_DDL)
            cur.execute(
                f"ALTER TABLE view_positions ADD COLUMN IF NOT EXISTS {STOPPED_EVENT_COLUMN} TEXT"
            )

    def transient(self, error: BaseException) -> bool:
        """The server or the pool failing (down, restarting, a lost connection, a lock timeout)."""
        return postgres_transient(error)

    @contextmanager
    def _transaction(self) -> Iterator[Cursor[Any]]:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    def _read(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._pool.connection() as conn, conn.cursor() as cur:
            cur.execute(self.dialect.render(sql), params)
            return [d[0] for d in cur.description or ()], cur.fetchall()

    def _run(self, cur: Any, sql: str, params: dict[str, Any] | None = None) -> None:
        if sql.lstrip().upper().startswith(("CREATE", "DROP")):
            # DDL from processes starting at once must not interleave.
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('zhulian-views-ddl'))")
        super()._run(cur, sql, params)

    def scratch(self, name: str) -> PostgresViewStore:
        """A scratch store in its own schema of the same database."""
        return PostgresViewStore(self.url, pool_size=2, schema=name)

    def drop_scratch(self, scratch: SqlViewStore) -> None:
        """Drop the scratch schema."""
        assert isinstance(scratch, PostgresViewStore) and scratch.schema
        scratch.close()
        with self._pool.connection() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {scratch.schema} CASCADE")

    def _copy_table(self, cur: Any, scratch: SqlViewStore, table: Table) -> None:
        assert isinstance(scratch, PostgresViewStore)
        columns = ", ".join(table.column_names)
        cur.execute(
            f"INSERT INTO {table.name} ({columns}) SELECT {columns}"
            f" FROM {scratch.schema}.{table.name}"
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._pool.close()
