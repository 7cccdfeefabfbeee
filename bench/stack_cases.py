"""The stack benchmark's clients: referral cases, the households they name, closed-loop clients.

A case is one need walked through its referral, each step sent by the department that takes it
(civil affairs raises and refers; hrss accepts, routes, answers and completes).
"""

from __future__ import annotations

import asyncio
import time
from itertools import count
from typing import Any

import orjson

from bench.common import percentile, village
from bench.loadgen import Connection

CE = "application/cloudevents+json"
STEPS = ("need.raised", "referral.requested", "accepted", "routed", "feedback_given", "completed")
HOUSEHOLDS = 300
DEPARTMENTS = ("grid-worker-wang", "civil-affairs", "hrss")
_ids = count(1)


def household(n: int) -> str:
    return f"33010619{n:010d}"


DEPARTMENTS = ("grid-worker-wang", "civil-affairs", "hrss")


def envelope(kind: str, data: dict[str, Any], department: str) -> dict[str, Any]:
    """A v1 CloudEvent of a zhulian type from a department's source."""
    return {
        "specversion": "1.0",
        "id": f"stack-{next(_ids)}",
        "source": f"/330106/{department}",
        "type": f"cn.zhulian.{kind}.v1",
        "data": data,
    }


def cloud_event(kind: str, data: dict[str, Any], department: str) -> tuple[str, bytes]:
    """The department that sends a step and the step's CloudEvent."""
    return department, orjson.dumps(envelope(kind, data, department))


class Case:
    """One need walked through its referral: the next step and the ids it needs."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.step = 0
        self.need_id = ""
        self.referral_id = ""

    def body(self) -> tuple[str, bytes]:
        """The department that sends this case's next step, and its CloudEvent."""
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
                "civil-affairs",
            )
        if step == "referral.requested":
            data = {"need_id": self.need_id, "from_department": "civil-affairs"}
            return cloud_event(step, {**data, "to_department": "hrss"}, "civil-affairs")
        extra = {
            "routed": {"to_unit": "medical-assistance-office"},
            "feedback_given": {"content": "Assistance approved, paid on Friday"},
            "completed": {"outcome": "met"},
        }.get(step, {})
        data = {"referral_id": self.referral_id, "department": "hrss", **extra}
        return cloud_event(f"referral.{step}", data, "hrss")

    def answered(self, answer: bytes) -> bool:
        """Take the ids from a step's answer; False once the referral is completed."""
        if self.step == 0:
            self.need_id = orjson.loads(answer)["record_id"]
        elif self.step == 1:
            self.referral_id = orjson.loads(answer)["record_id"]
        self.step += 1
        return self.step < len(STEPS)


def headers(tokens: dict[str, str], department: str) -> dict[str, str] | None:
    """The department's credential (none for the bare endpoint)."""
    return {"authorization": tokens[department]} if tokens else None


async def register_households(url: str, tokens: dict[str, str]) -> None:
    """Every household the needs name, discovered and consenting once (before the rates)."""
    found = [
        envelope(
            "household.discovered",
            {
                "household": {"registration_number": household(n)},
                "region_code": village(n),
                "channel": "grid_worker",
                "reported_by": "grid-worker-wang",
                "members": [{"relation": "head", "birth_year": 1940 + n % 60}],
            },
            "grid-worker-wang",
        )
        for n in range(HOUSEHOLDS)
    ]
    consents = [
        envelope(
            "household.consent.given",
            {
                "household": {"registration_number": household(n)},
                "recipient": "alliance",
                "purpose": "referral and matching",
                "document": f"consent form {n}",
                "actor": "civil-affairs",
            },
            "civil-affairs",
        )
        for n in range(HOUSEHOLDS)
    ]
    batch = "application/cloudevents-batch+json"
    for department, body in (("grid-worker-wang", found), ("civil-affairs", consents)):
        connection = Connection(url)
        status, answer = await connection.request(
            "POST", "/v1/events", orjson.dumps(body), batch, headers(tokens, department)
        )
        connection.close()
        if status not in (200, 201) or b'"status":4' in answer or b'"status":5' in answer:
            raise RuntimeError(f"households not registered: {status} {answer[:500]!r}")


async def closed_loop(
    urls: list[str], clients: int, seconds: float, tokens: dict[str, str]
) -> dict[str, float]:
    """`clients` clients, each sending its next step as soon as the last one was answered."""
    latencies: list[float] = []
    failed = 0
    cases = count(10**6)  # households cycle; ids apart from the open-loop cases'
    end = time.perf_counter() + seconds

    async def client(n: int) -> None:
        nonlocal failed
        connection = Connection(urls[n % len(urls)])
        case = Case(next(cases))
        try:
            while time.perf_counter() < end:
                department, body = case.body()
                sent = time.perf_counter()
                status, answer = await connection.request(
                    "POST", "/v1/events", body, CE, {"authorization": tokens[department]}
                )
                latencies.append(time.perf_counter() - sent)
                if status != 201:
                    failed += 1
                    case = Case(next(cases))
                elif not case.answered(answer):
                    case = Case(next(cases))
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - start
    return {
        "steps": len(latencies),
        "rate": (len(latencies) - failed) / elapsed,
        "failed": failed,
        "p50": percentile(latencies, 50) * 1000 if latencies else float("inf"),
        "p99": percentile(latencies, 99) * 1000 if latencies else float("inf"),
    }
