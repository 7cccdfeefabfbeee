"""Which CEL package: `common-expression-language` (Rust) against `cel-python` (pure Python).

`python -m bench.screening_cel [--households N]` compiles the reports' example rule and a rule
with a comprehension, then evaluates both over N generated household fact maps with each package
(cel-python over a tenth of them, scaled up: it is two orders of magnitude slower).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from typing import Any

import cel
import celpy

from domain.screening.facts import HouseholdFacts
from harness.households import EXAMPLE_RULE, MONITORING_LIST, generate

RULES = {
    "example": EXAMPLE_RULE,
    "care-missing": '("dibao" in assistance || "tekun" in assistance) && members.exists(m, '
    'm.disability_grade in [1, 2] || "severe_illness" in m.circumstances) && '
    '!open_needs.exists(n, n.need_type == "care")',
}
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def fact_maps(n: int) -> list[dict[str, Any]]:
    """N fact maps of generated households."""
    out = []
    for h in generate(n):
        facts = HouseholdFacts(household_key=h.key, region=h.region, members=h.members)
        if h.dibao:
            facts.assistance["dibao"] = {"since": NOW.isoformat(), "by": "civil-affairs"}
        if h.monitored:
            facts.apply_list_row(MONITORING_LIST, "2026-10", NOW, {"risk": h.risk})
        out.append(facts.as_cel(NOW))
    return out


def _plain(facts: dict[str, Any]) -> dict[str, Any]:
    """Timestamps as strings: cel-python's JSON adapter takes JSON values only."""
    out = dict(facts)
    out.pop("now")
    out["assistance"] = {k: {"by": v["by"]} for k, v in facts["assistance"].items()}
    out["lists"] = {k: {"risk": v.get("risk", "")} for k, v in facts["lists"].items()}
    out["ended_assistance"] = {}
    return out


def measure_rust(maps: list[dict[str, Any]]) -> dict[str, float]:
    """Compile once and evaluate every map with common-expression-language."""
    result: dict[str, float] = {}
    for name, expression in RULES.items():
        started = time.perf_counter()
        program = cel.compile(expression)
        compiled = time.perf_counter()
        hits = sum(1 for m in maps if program.execute(m) is True)
        done = time.perf_counter()
        result[name] = done - compiled
        result[name + ":compile_ms"] = (compiled - started) * 1000
        result[name + ":hits"] = hits
    return result


def measure_python(maps: list[dict[str, Any]]) -> dict[str, float]:
    """Compile once and evaluate every map with cel-python."""
    env = celpy.Environment()
    result: dict[str, float] = {}
    for name, expression in RULES.items():
        started = time.perf_counter()
        program = env.program(env.compile(expression))
        compiled = time.perf_counter()
        hits = 0
        for m in maps:
            activation = {k: celpy.json_to_cel(v) for k, v in _plain(m).items()}
            hits += bool(program.evaluate(activation))
        done = time.perf_counter()
        result[name] = done - compiled
        result[name + ":compile_ms"] = (compiled - started) * 1000
        result[name + ":hits"] = hits
    return result


def main() -> None:
    """Print per-rule evaluation time over N households for both packages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    maps = fact_maps(args.households)
    sample = maps[: max(1, args.households // 10)]
    rust = measure_rust(maps)
    python = measure_python(sample)
    scale = len(maps) / len(sample)
    for name in RULES:
        print(
            f"{name}: common-expression-language {rust[name]:.2f} s for {len(maps)} "
            f"({len(maps) / rust[name]:,.0f}/s, compile {rust[name + ':compile_ms']:.2f} ms, "
            f"{rust[name + ':hits']:.0f} hits); cel-python {python[name]:.2f} s for "
            f"{len(sample)} → {python[name] * scale:.1f} s for {len(maps)} "
            f"({len(sample) / python[name]:,.0f}/s, compile {python[name + ':compile_ms']:.1f} ms,"
            f" {python[name + ':hits']:.0f} hits of {len(sample)}); "
            f"ratio {python[name] * scale / rust[name]:.0f}×"
        )


if __name__ == "__main__":
    main()
