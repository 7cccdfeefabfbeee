"""A need's candidates summed up: how many can be chosen, the best, and how one change moves it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from projections.runtime.view import Row

_VERDICT = ("name", "provider_name", "eligible", "rejected", "score", "level", "checks", "parts")


def same_verdict(old: Row, new: Row) -> bool:
    """Whether a re-judged candidate row says what it said before (its time aside)."""
    return (
        all(old[k] == new[k] for k in _VERDICT) and old["policy_version"] == new["policy_version"]
    )


def counts(row: Row) -> bool:
    """A candidate the coordinator can still choose."""
    return bool(row["eligible"]) and not row["rejected"]


def best_of(rows: Iterable[Row]) -> Row | None:
    """The highest-scoring choosable candidate (ties: the smaller id, so every store agrees)."""
    usable = [r for r in rows if counts(r)]
    return min(usable, key=lambda r: (-r["score"], r["candidate_id"]), default=None)


Summary = dict[str, Any]
SUMMARY_KEYS = ("candidates", "services", "best_id", "best_name", "best_score")


def summary_of(rows: list[Row]) -> Summary:
    """How many choosable candidates (and services) a need has, and the best of them."""
    best = best_of(rows)
    return {
        "candidates": sum(1 for r in rows if counts(r)),
        "services": sum(1 for r in rows if counts(r) and r["kind"] == "offering"),
        "best_id": best and best["candidate_id"],
        "best_name": best and best["name"],
        "best_score": best and best["score"],
    }


def adjusted(summary: Row, old: Row | None, new: Row | None) -> Summary | None:
    """The summary after one candidate changed from old to new; None when only a rescan can tell."""
    out = {k: summary[k] for k in SUMMARY_KEYS}
    for row, sign in ((old, -1), (new, +1)):
        if row is not None and counts(row):
            out["candidates"] += sign
            out["services"] += sign if row["kind"] == "offering" else 0
    changed = (old or new or {}).get("candidate_id")
    if new is None or not counts(new):
        return None if out["best_id"] == changed else out  # the best left: who is next?
    if out["best_id"] == changed and new["score"] < out["best_score"]:
        return None  # the best got worse: the next best is among rows not read here
    if out["best_id"] in (None, changed) or (-new["score"], new["candidate_id"]) < (
        -out["best_score"],
        out["best_id"],
    ):
        out.update(best_id=new["candidate_id"], best_name=new["name"], best_score=new["score"])
    return out
