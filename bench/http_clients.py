"""The embedded profile under 50 clients over HTTP, beside the bare-endpoint floor.

`python -m bench.http_clients [--clients 50] [--seconds 20]`. Starts `zhulian serve` on a fresh
embedded profile and, in the same run, the floor (`bench.floor`, same uvicorn). Each of the
clients posts single CloudEvents (a household discovered, each a new one) back to back for the
given time; one more client reads the needs list meanwhile. Reports events/s, latency p50/p99,
reads p99, the server process's CPU time per write (steadier than rates on a shared machine),
and the ratios to the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import time
from itertools import count
from pathlib import Path
from typing import Any

import orjson
import uvloop

from bench.common import cpu_seconds, peak_rss_mb, percentile, village
from bench.loadgen import Connection
from bench.processes import Server, sign_in_as, start_api, start_floor

CLOUDEVENT = "application/cloudevents+json"
_ids = count(1)


def event(tag: str) -> dict[str, Any]:
    """A household discovered, a new household each time."""
    n = next(_ids)
    return {
        "specversion": "1.0",
        "id": f"{tag}-{n}",
        "source": "/330106/grid",
        "type": "cn.zhulian.household.discovered.v1",
        "data": {
            "household": {"registration_number": f"{tag}{n:09d}"},
            "region_code": village(n),
            "channel": "grid_worker",
            "reported_by": "grid-worker-wang",
            "members": [{"relation": "head", "birth_year": 1940 + n % 60}],
        },
    }


def _children(pid: int) -> list[int]:
    """The server's child processes (the embedded profile's view worker)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def measure(server: Server, clients: int, seconds: float, tag: str) -> dict[str, float]:
    """Drive the server and add the CPU time its processes spent per write (stable under load):
    the API process's own, and its children's (the view worker) beside it."""
    pid = server.process.pid
    children = _children(pid)
    before = cpu_seconds(pid), sum(cpu_seconds(c) for c in children)
    result = uvloop.run(drive(server.url, clients, seconds, tag))
    spent = cpu_seconds(pid) - before[0], sum(cpu_seconds(c) for c in children) - before[1]
    rss = max([peak_rss_mb(pid), *(peak_rss_mb(c) for c in children)])
    writes = max(result["writes"], 1)
    return {
        **result,
        "cpu_ms": spent[0] * 1000 / writes,
        "child_cpu_ms": spent[1] * 1000 / writes,
        "rss_mb": rss,
    }


async def drive(url: str, clients: int, seconds: float, tag: str) -> dict[str, float]:
    """Closed loop: every client posts, waits for the answer, posts again; one reader reads."""
    writes: list[float] = []
    reads: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def writer() -> None:
        nonlocal errors
        connection = Connection(url)
        while time.perf_counter() < deadline:
            body = orjson.dumps(event(tag))
            started = time.perf_counter()
            status, _ = await connection.request("POST", "/v1/events", body, CLOUDEVENT)
            if status == 201:  # only stored events count; a refusal is an error, not a write
                writes.append(time.perf_counter() - started)
            else:
                errors += 1
        connection.close()

    async def reader() -> None:
        connection = Connection(url)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await connection.request("GET", "/v1/needs" if tag == "api" else "/v1/health")
            reads.append(time.perf_counter() - started)
            await asyncio.sleep(0.1)
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(reader(), *(writer() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "rate": len(writes) / elapsed,
        "writes": len(writes),
        "p50": percentile(writes, 50) * 1000,
        "p99": percentile(writes, 99) * 1000,
        "reads_p99": percentile(reads, 99) * 1000 if reads else 0.0,
        "errors": errors,
    }


def run(clients: int, seconds: float) -> None:
    """Measure the floor, then the API, one after the other (same machine, same run)."""
    floor = start_floor()
    try:
        bare = measure(floor, clients, seconds, "floor")
    finally:
        floor.stop()
    with tempfile.TemporaryDirectory() as data:
        # One department system at full speed: its credential's write rate (50/s by default,
        # 429 beyond) is raised as an operator would for such a client.
        env = {"ZHULIAN_DATA_DIR": data, "ZHULIAN_DEMO": "false", "ZHULIAN_WRITE_RATE": "1e6"}
        api = start_api(env)
        sign_in_as(api, env, "grid-worker-wang")  # the events' actor (data.reported_by)
        try:
            ours = measure(api, clients, seconds, "api")
        finally:
            api.stop()
    print(f"{clients} clients, {seconds:g}s each, single CloudEvents over HTTP")
    for name, r in (("floor (bare endpoint)", bare), ("embedded profile", ours)):
        print(
            f"  {name:22} {r['rate']:8,.0f}/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms"
            f"  reads p99 {r['reads_p99']:6.1f} ms  non-201 {r['errors']:.0f}"
            f"  server CPU {r['cpu_ms']:.2f} ms per write (+ view worker"
            f" {r['child_cpu_ms']:.2f} ms), peak RSS {r['rss_mb']:.0f} MB"
        )
    print(
        f"  ratio to the floor: {ours['rate'] / bare['rate']:.1%} of its rate; CPU per write"
        f" {ours['cpu_ms'] / bare['cpu_ms']:.1f}x the floor's; load average"
        f" {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    """Parse arguments and run."""
    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", os.getcwd())
    run(args.clients, args.seconds)


if __name__ == "__main__":
    main()
