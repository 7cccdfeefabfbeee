"""The rules on a policy of the policy list (政策清单) as a candidate for a need."""

from __future__ import annotations

from domain.matching.checks import LOCALITY, not_excluded, type_fits
from domain.matching.eligibility import eligibility_checks
from domain.matching.facts import NeedFacts, PolicyFacts
from domain.matching.policy import Policy
from domain.matching.verdicts import FULL, Check, Decision, weighted
from domain.shared.regions import Level


def asked_for(need: NeedFacts, policy: PolicyFacts) -> str | None:
    """How the need asks for the policy, if it does: by its code (`policy` of need.raised), or
    by a keyword in the description (only while the description is not sealed)."""
    if need.policy and need.policy == policy.code:
        return policy.code
    words = need.description.casefold()
    return next((k for k in policy.keywords if k.casefold() in words), None)


def judge_policy(need: NeedFacts, entry: PolicyFacts, policy: Policy) -> Decision:
    """Every rule on one listed policy for one need, and its fit."""
    fits = [type_fits(need, entry.need_type, c, policy) for c in entry.categories]
    kind, taxonomy = max(fits, key=lambda f: (f[0].passed, f[1]))
    held = sorted(set(entry.not_holding) | ({entry.grants} if entry.grants else set()))
    holds = sorted(set(held) & set(need.statuses))
    keyword = asked_for(need, entry)
    checks = (
        Check(
            "open", entry.open, "on the policy list" if entry.open else "withdrawn from the list"
        ),
        kind,
        Check("region", True, "a policy of the whole alliance"),
        *eligibility_checks(need, entry.eligibility, need.raised_at.year),
        Check("holding", not holds, f"already holds {', '.join(holds)}")
        if holds
        else Check("holding", True, "holds none of the statuses it excludes"),
        not_excluded(need, (entry.policy_id,), policy),
        Check("asked", True, f'the need names it ("{keyword}")')
        if keyword
        else Check("asked", True, "the need does not name it"),
    )
    rule = entry.eligibility or {}
    parts = {
        "distance": LOCALITY[Level.COUNTY.value],
        "load": FULL,
        "earmark_fit": 1000 if rule.get("statuses") or rule.get("groups") else 400,
        "taxonomy": taxonomy,
        "asked": FULL if keyword else 0,
    }
    name = f"{entry.name} ({entry.department})"
    return Decision(
        entry.policy_id,
        "policy",
        name,
        checks,
        parts,
        weighted(parts, policy),
        Level.COUNTY.value,
    )
