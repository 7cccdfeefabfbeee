"""The whole production stack over HTTP: referral steps open-loop at rising rates.

`python -m bench.stack [--rates 25,50,100,200,300] [--seconds 20]`. Starts the stack as deploy/
runs it (`bench.stack_processes`: tansu, PostgreSQL, the indexer, two projectors, two API
processes), registers households, then sends referral steps at a steady open-loop rate, spread
over both API processes as a load balancer would: a need raised, referred, accepted, routed,
answered with feedback and completed, each step one command on the answer of the step before.
Latency is counted from the moment a step was due (not when it was sent), so a client that
falls behind shows as latency. Each rate is reported with p50/p99, how many steps were answered
with something other than 201, and each part's CPU time per command (from /proc). The highest
rate held (p99 ≤ 100 ms, every step stored, the rate reached) is named at the end.

Baseline, same run: the bare endpoint (`bench.floor`, same uvicorn) driven with the same
schedule; it answers every step at once, so only its latency and CPU per request count.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from collections import deque
from itertools import count
from typing import Any

import orjson

from bench.common import cpu_seconds, percentile, village
from bench.loadgen import Connection
from bench.processes import start_floor
from bench.stack_processes import Stack, production_stack

CE = "application/cloudevents+json"
STEPS = ("need.raised", "referral.requested", "accepted", "routed", "feedback_given", "completed")
HOUSEHOLDS = 300
KEEP_ALIVE_S = 3.0  # reuse a connection only this long after its last answer
_ids = count(1)


def household(n: int) -> str:
    return f"33010619{n:010d}"


def cloud_event(kind: str, data: dict[str, Any]) -> bytes:
    """A v1 CloudEvent of a zhulian type."""
    return orjson.dumps(
        {
            "specversion": "1.0",
            "id": f"stack-{next(_ids)}",
            "source": "/330106/civil-affairs",
            "type": f"cn.zhulian.{kind}.v1",
            "data": data,
        }
    )


class Case:
    """One need walked through its referral: the next step and the ids it needs."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.step = 0
        self.need_id = ""
        self.referral_id = ""

    def body(self) -> bytes:
        """The CloudEvent of this case's next step."""
        step = STEPS[self.step]
        if step == "need.raised":
            return cloud_event(
                step,
                {
                    "household": {"registration_number": household(self.n % HOUSEHOLDS)},
                    "need_type": "survival",
                    "category": "medical",
                    "urgency": "high",
                    "description": "Dialysis costs",
                    "raised_by": "civil-affairs",
                },
            )
        if step == "referral.requested":
            data = {"need_id": self.need_id, "from_department": "civil-affairs"}
            return cloud_event(step, {**data, "to_department": "hrss"})
        extra = {
            "routed": {"to_unit": "medical-assistance-office"},
            "feedback_given": {"content": "Assistance approved, paid on Friday"},
            "completed": {"outcome": "met"},
        }.get(step, {})
        data = {"referral_id": self.referral_id, "department": "hrss", **extra}
        return cloud_event(f"referral.{step}", data)

    def answered(self, answer: bytes) -> bool:
        """Take the ids from a step's answer; False once the referral is completed."""
        if self.step == 0:
            self.need_id = orjson.loads(answer)["record_id"]
        elif self.step == 1:
            self.referral_id = orjson.loads(answer)["record_id"]
        self.step += 1
        return self.step < len(STEPS)


async def drive(urls: list[str], rate: float, seconds: float, chained: bool) -> dict[str, float]:
    """Send steps open-loop at `rate` for `seconds`; latency from each step's due time."""
    ready: deque[Case] = deque()
    # Connections idle longer than uvicorn's keep-alive (5 s) are closed by the server.
    idle: dict[str, list[tuple[float, Connection]]] = {url: [] for url in urls}
    latencies: list[float] = []
    failed = 0
    cases = count()
    tasks: set[asyncio.Task[None]] = set()

    async def step(due: float, url: str) -> None:
        nonlocal failed
        case = ready.popleft() if ready else Case(next(cases))
        connection = None
        while idle[url] and connection is None:
            since, reused = idle[url].pop()
            if time.perf_counter() - since < KEEP_ALIVE_S:
                connection = reused
            else:
                reused.close()
        connection = connection or Connection(url)
        try:
            status, answer = await connection.request("POST", "/v1/events", case.body(), CE)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            failed += 1
            connection.close()
            return
        latencies.append(time.perf_counter() - due)
        idle[url].append((time.perf_counter(), connection))
        if status != 201:
            failed += 1
        elif chained and case.answered(answer):
            ready.append(case)

    start = time.perf_counter()
    total = int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(step(due, urls[i % len(urls)]))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    sent = time.perf_counter() - start
    if tasks:
        await asyncio.wait(tasks, timeout=120)
    for connections in idle.values():
        for _, connection in connections:
            connection.close()
    answered = len(latencies)
    return {
        "steps": total,
        "sent_rate": total / sent,
        "answered": answered,
        "failed": failed + (total - answered - failed if total > answered + failed else 0),
        "p50": percentile(latencies, 50) * 1000 if latencies else float("inf"),
        "p99": percentile(latencies, 99) * 1000 if latencies else float("inf"),
    }


def held(result: dict[str, float], rate: float) -> bool:
    """p99 ≤ 100 ms, every step stored, and the client kept the rate."""
    return result["p99"] <= 100 and result["failed"] == 0 and result["sent_rate"] >= 0.95 * rate


async def register_households(urls: list[str]) -> None:
    """Every household the needs name, discovered once (before the measured rates)."""
    connection = Connection(urls[0])
    body = [
        {
            "specversion": "1.0",
            "id": f"stack-household-{n}",
            "source": "/330106/grid",
            "type": "cn.zhulian.household.discovered.v1",
            "data": {
                "household": {"registration_number": household(n)},
                "region_code": village(n),
                "channel": "grid_worker",
                "reported_by": "grid-worker-wang",
                "members": [{"relation": "head", "birth_year": 1940 + n % 60}],
            },
        }
        for n in range(HOUSEHOLDS)
    ]
    batch = "application/cloudevents-batch+json"
    status, answer = await connection.request("POST", "/v1/events", orjson.dumps(body), batch)
    connection.close()
    if status not in (200, 201, 207):
        raise RuntimeError(f"households not registered: {status} {answer[:500]!r}")


def line(rate: float, r: dict[str, float], cpu: dict[str, float]) -> str:
    per = ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
    return (
        f"  {rate:5.0f}/s sent {r['sent_rate']:6.1f}/s  p50 {r['p50']:8.1f} ms"
        f"  p99 {r['p99']:8.1f} ms  not stored {r['failed']:.0f}/{r['steps']:.0f}"
        f"  {'held' if held(r, rate) else 'NOT held'}\n      CPU ms per command: {per}"
    )


def measure(stack: Stack, rate: float, seconds: float) -> tuple[dict[str, float], dict[str, float]]:
    """One rate on the stack, with every part's CPU per command (and the client's own)."""
    before, client = stack.cpu(), cpu_seconds(os.getpid())
    result = asyncio.run(drive(stack.api_urls, rate, seconds, chained=True))
    after = stack.cpu()
    cpu = {name: (after[name] - before[name]) * 1000 / result["steps"] for name in after}
    cpu["total"] = sum(cpu.values())
    cpu["client"] = (cpu_seconds(os.getpid()) - client) * 1000 / result["steps"]
    return result, cpu


def run(rates: list[float], seconds: float) -> None:
    """The floor at every rate, then the stack at rising rates until one is far from held."""
    print(f"referral steps over HTTP, open loop, {seconds:g}s per rate")
    floor = start_floor()
    try:
        print("bare endpoint (bench.floor), same schedule:")
        for rate in rates:
            before = cpu_seconds(floor.process.pid)
            r = asyncio.run(drive([floor.url], rate, seconds, chained=False))
            spent = (cpu_seconds(floor.process.pid) - before) * 1000 / r["steps"]
            print(line(rate, r, {"floor": spent}))
    finally:
        floor.stop()
    best = 0.0
    with production_stack() as stack:
        asyncio.run(register_households(stack.api_urls))
        asyncio.run(drive(stack.api_urls, rates[0], 5, chained=True))  # warm-up, not counted
        print("production stack (2 API, indexer, 2 projectors, tansu, PostgreSQL):")
        for rate in rates:
            result, cpu = measure(stack, rate, seconds)
            print(line(rate, result, cpu))
            if held(result, rate):
                best = rate
            elif result["p99"] > 2000:
                break
        rss = ", ".join(f"{k} {v:.0f}" for k, v in stack.peak_rss().items())
        print(f"  peak RSS (MB): {rss}")
    print(f"highest rate held (p99 ≤ 100 ms): {best:g}/s; load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    """Parse arguments and run."""
    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="25,50,100,200,300")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", os.getcwd())
    run([float(r) for r in args.rates.split(",")], args.seconds)


if __name__ == "__main__":
    main()
