"""Re-explaining a need's candidates under any policy version (read through the query module)."""

from __future__ import annotations

from projections.match_queue.queries import decision_json, policy_at, reexplain

__all__ = ["decision_json", "policy_at", "reexplain"]
