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

Steps are sent as the department systems would: civil affairs raises the need and refers it,
hrss accepts, routes, answers and completes, each with its own client (`zhulian admin`) and
token; the households are discovered by a grid worker's client and consent to sharing first.

Baselines, same run: the bare endpoint (`bench.floor`, same uvicorn) driven with the same
schedule (it answers every step at once, so only its latency and CPU per request count), and
the same API and projectors on eventsourcing's own PostgreSQL recorder (`--baseline postgres`,
the default) at the same rates. Both stacks are also driven closed-loop by 32 clients
(`--clients`), each walking its referrals step after step, for the issue's ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from collections import Counter, deque
from itertools import count

from bench.common import cpu_seconds, percentile
from bench.loadgen import Connection
from bench.processes import start_floor
from bench.stack_cases import CE, DEPARTMENTS, Case, closed_loop, headers, register_households
from bench.stack_processes import Stack, production_stack

KEEP_ALIVE_S = 3.0  # reuse a connection only this long after its last answer


async def drive(
    urls: list[str], rate: float, seconds: float, chained: bool, tokens: dict[str, str]
) -> dict[str, float]:
    """Send steps open-loop at `rate` for `seconds`; latency from each step's due time."""
    ready: deque[Case] = deque()
    # Connections idle longer than uvicorn's keep-alive (5 s) are closed by the server.
    idle: dict[str, list[tuple[float, Connection]]] = {url: [] for url in urls}
    latencies: list[float] = []
    failed = 0
    refused: Counter[str] = Counter()  # answers other than 201, for the printout
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
            department, body = case.body()
            status, answer = await connection.request(
                "POST", "/v1/events", body, CE, headers(tokens, department)
            )
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            failed += 1
            connection.close()
            return
        latencies.append(time.perf_counter() - due)
        idle[url].append((time.perf_counter(), connection))
        if status != 201:
            failed += 1
            refused[f"{status} {answer[:120]!r}"] += 1
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
    for answer, times in refused.most_common(3):
        print(f"      answered {times}× {answer}")
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


def line(rate: float, r: dict[str, float], cpu: dict[str, float]) -> str:
    per = ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
    return (
        f"  {rate:5.0f}/s sent {r['sent_rate']:6.1f}/s  p50 {r['p50']:8.1f} ms"
        f"  p99 {r['p99']:8.1f} ms  not stored {r['failed']:.0f}/{r['steps']:.0f}"
        f"  {'held' if held(r, rate) else 'NOT held'}\n      CPU ms per command: {per}"
    )


def per_command(
    stack: Stack, before: dict[str, float], client: float, n: float
) -> dict[str, float]:
    """Every part's CPU milliseconds per command since `before` (and the client's own)."""
    after = stack.cpu()
    cpu = {name: (after[name] - before[name]) * 1000 / max(n, 1) for name in after}
    cpu["total"] = sum(cpu.values())
    cpu["client"] = (cpu_seconds(os.getpid()) - client) * 1000 / max(n, 1)
    return cpu


def measure(stack: Stack, rate: float, seconds: float) -> tuple[dict[str, float], dict[str, float]]:
    """One rate on the stack, with every part's CPU per command (and the client's own)."""
    before, client = stack.cpu(), cpu_seconds(os.getpid())
    result = asyncio.run(drive(stack.api_urls, rate, seconds, True, stack.tokens))
    return result, per_command(stack, before, client, result["steps"])


def run_stack(
    store: str, rates: list[float], seconds: float, clients: int, api_env: dict[str, str]
) -> float:
    """Rising open-loop rates on one stack, then `clients` closed-loop clients; the best rate."""
    best = 0.0
    with production_stack(store=store, departments=DEPARTMENTS, api_env=api_env) as stack:
        asyncio.run(register_households(stack.api_urls[0], stack.tokens))
        asyncio.run(drive(stack.api_urls, rates[0], 5, True, stack.tokens))  # warm-up
        parts = "indexer, tansu, " if store == "kafka" else ""
        print(f"{store} store (2 API, {parts}2 projectors, PostgreSQL):")
        for rate in rates:
            result, cpu = measure(stack, rate, seconds)
            print(line(rate, result, cpu), f"\n      load average {os.getloadavg()[0]:.1f}")
            if held(result, rate):
                best = rate
            elif result["p99"] > 2000:
                break
        if clients:
            before, client = stack.cpu(), cpu_seconds(os.getpid())
            r = asyncio.run(closed_loop(stack.api_urls, clients, seconds, stack.tokens))
            cpu = per_command(stack, before, client, r["steps"])
            per = ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
            print(
                f"  {clients} clients closed loop: {r['rate']:.1f} steps/s, p50 {r['p50']:.1f} ms,"
                f" p99 {r['p99']:.1f} ms, not stored {r['failed']:.0f}\n"
                f"      CPU ms per command: {per}; load average {os.getloadavg()[0]:.1f}"
            )
        rss = ", ".join(f"{k} {v:.0f}" for k, v in stack.peak_rss().items())
        print(f"  peak RSS (MB): {rss}")
    print(f"  highest rate held (p99 ≤ 100 ms) on the {store} store: {best:g}/s")
    return best


def run(
    rates: list[float],
    seconds: float,
    stores: list[str],
    clients: int,
    api_env: dict[str, str],
    floor_too: bool = True,
) -> None:
    """The floor at every rate, then each stack at rising rates until one is far from held."""
    print(f"referral steps over HTTP, open loop, {seconds:g}s per rate; APIs' extra env {api_env}")
    if floor_too:
        floor = start_floor()
        try:
            print("bare endpoint (bench.floor), same schedule:")
            for rate in rates:
                before = cpu_seconds(floor.process.pid)
                r = asyncio.run(drive([floor.url], rate, seconds, False, {}))
                spent = (cpu_seconds(floor.process.pid) - before) * 1000 / r["steps"]
                print(line(rate, r, {"floor": spent}))
        finally:
            floor.stop()
    for store in stores:
        run_stack(store, rates, seconds, clients, api_env)
    print(f"load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    """Parse arguments and run."""
    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="50,100,200,300")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--stores", default="kafka,postgres", help="kafka and/or postgres")
    parser.add_argument("--clients", type=int, default=32, help="closed-loop clients (0: none)")
    parser.add_argument("--api-env", action="append", default=[], help="KEY=VALUE for the APIs")
    parser.add_argument("--floor", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", os.getcwd())
    rates = [float(r) for r in args.rates.split(",")]
    api_env = dict(pair.split("=", 1) for pair in args.api_env)
    run(rates, args.seconds, args.stores.split(","), args.clients, api_env, args.floor)


if __name__ == "__main__":
    main()
