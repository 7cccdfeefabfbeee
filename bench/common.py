"""Shared benchmark helpers: servers, store environments, percentiles, peak memory."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from harness.postgres import fresh_schema
from harness.servers import unique_topic

ROOT = Path(__file__).resolve().parents[1]

# Headers every benchmark's HTTP request carries (the one place to add a credential).
REQUEST_HEADERS: dict[str, str] = {}


def request_headers(own: dict[str, str] | None = None) -> dict[str, str]:
    """The shared request headers, with this request's own added."""
    return {**REQUEST_HEADERS, **(own or {})}


def kafka_store_env(bootstrap: str, database_url: str, **extra: str) -> dict[str, str]:
    """Environment selecting the Kafka store on a fresh topic and index schema."""
    return {
        "PERSISTENCE_MODULE": "services.store.kafka",
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "KAFKA_EVENTS_TOPIC": unique_topic("bench"),
        "KAFKA_INDEX_SCHEMA": fresh_schema(database_url, "bench"),
        **extra,
    }


def postgres_recorder_env(database_url: str) -> dict[str, str]:
    """Environment selecting eventsourcing's own PostgreSQL recorder on the same server."""
    params = conninfo_to_dict(database_url)
    schema = fresh_schema(database_url, "benchpg")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname", "postgres")),
        "POSTGRES_HOST": str(params.get("host", "localhost")),
        "POSTGRES_PORT": str(params.get("port", "5432")),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "POSTGRES_SCHEMA": schema,
    }


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size of a live process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def villages(county: str = "330106") -> list[str]:
    """The real village codes of a county (the edge refuses codes the division list lacks)."""
    from services import divisions

    return [c for c in divisions._sorted_villages(county[:2]) if c.startswith(county)]


def village(n: int, county: str = "330106") -> str:
    """The n-th real village of the county, cycling."""
    found = _VILLAGES.get(county)
    if found is None:  # the county's villages are looked up once, not on every call
        found = _VILLAGES[county] = villages(county)
    return found[n % len(found)]


_VILLAGES: dict[str, list[str]] = {}
