"""The match view's tables: facts kept for judging, candidates with explanations, the queue."""

from __future__ import annotations

from projections.runtime.tables import Table, cols

# One row per need: its facts, where it stands, whose queue it is in.
NEEDS = Table(
    "match_needs",
    cols(
        "need_id household_id region_code county town village need_type category urgency"
        " description policy raised_at:ts status owner_code department rejected:json"
        " statuses:json labels:json birth_years:json circle:int place:json"
    ),
    key=("need_id",),
    indexes=(
        ("county", "category"),
        ("town", "category"),
        ("village", "category"),
        ("household_id",),
    ),
)
# What the rules need of a household file.
HOUSEHOLDS = Table(
    "match_households",
    cols("household_id members:json household_group statuses:json circle:int place:json"),
    key=("household_id",),
)
# Offerings as published, with their usage per month.
OFFERINGS = Table(
    "match_offerings",
    cols(
        "offering_id provider_id provider_name alliance name need_type category areas:json"
        " eligibility:json capacity:int location:json open:bool usage:json"
    ),
    key=("offering_id",),
)
FUNDS = Table(
    "match_funds",
    cols("fund_id alliance name region_code pools:json"),
    key=("fund_id",),
)
# The policy list (政策清单): each policy with its rule and department.
POLICY_LIST = Table(
    "match_policy_list",
    cols(
        "policy_id alliance code name department need_type categories:json eligibility:json"
        " not_holding:json grants keywords:json description open:bool"
    ),
    key=("policy_id",),
    indexes=(("alliance",),),
)
# Which table holds each kind of candidate, and its id column.
CANDIDATE_TABLES = {
    "offering": ("match_offerings", "offering_id"),
    "fund": ("match_funds", "fund_id"),
    "policy": ("match_policy_list", "policy_id"),
}
PROVIDERS = Table("match_providers", cols("provider_id name"), key=("provider_id",))
# Which candidate covers which area prefix for which category ('*': every category, a fund).
AREAS = Table(
    "match_areas", cols("area category candidate_id kind"), key=("area", "category", "candidate_id")
)
# Every policy version of every alliance, so a past match can be re-explained.
POLICIES = Table(
    "match_policies",
    cols("alliance version:int policy_id settings:json by_whom reason adopted_at:ts"),
    key=("alliance", "version"),
    indexes=(("policy_id",),),
)
# Allocations' draws, so a cancellation puts the money back into the pools it came from.
ALLOCATIONS = Table(
    "match_allocations", cols("allocation_id fund_id draws:json"), key=("allocation_id",)
)
# Triage records name their need only when opened.
TRIAGES = Table("match_triages", cols("triage_id need_id"), key=("triage_id",))
# One row per (need, candidate) judged: the decision, its checks and the score's parts.
CANDIDATES = Table(
    "match_candidates",
    cols(
        "need_id candidate_id kind name provider_name eligible:bool rejected:bool"
        " rejected_reason score:int level checks:json parts:json failed policy_version:int"
        " scored_at:ts live:bool accepted:bool referral_id"
    ),
    key=("need_id", "candidate_id"),
    indexes=(("candidate_id", "live"),),
)
# Every accept or reject as decided: the inputs, their digest and the verdicts (seq: the triage
# record's version, so a candidate accepted again after a refusal keeps both decisions).
DECISIONS = Table(
    "match_decisions",
    cols(
        "need_id seq:int candidate_id action by_whom reason decided_at:ts policy_version:int"
        " decided:json"
    ),
    key=("need_id", "seq"),
)
# The coordinators' queue: open needs only; gaps (no candidate) first, then priority, waiting.
QUEUE = Table(
    "match_queue",
    cols(
        "need_id household_id region_code owner_code owner_county owner_town owner_village"
        " department need_type category urgency description raised_at:ts has_candidate:int"
        " neg_priority:int escalated:bool policy_version:int"
    ),
    key=("need_id",),
    indexes=(
        ("owner_county", "has_candidate", "neg_priority", "raised_at", "need_id"),
        ("owner_town", "has_candidate", "neg_priority", "raised_at", "need_id"),
        ("owner_village", "has_candidate", "neg_priority", "raised_at", "need_id"),
        ("owner_county", "department", "has_candidate", "neg_priority", "raised_at", "need_id"),
        ("category", "region_code"),
    ),
)

# How many choosable candidates (and services) an open need has, and the best: kept apart from
# the queue row so that a candidate's change rewrites this narrow row, not the indexed one.
SUMMARIES = Table(
    "match_summaries",
    cols("need_id candidates:int services:int best_id best_name best_score:int"),
    key=("need_id",),
)

ALL = (
    NEEDS,
    HOUSEHOLDS,
    OFFERINGS,
    FUNDS,
    PROVIDERS,
    AREAS,
    POLICIES,
    ALLOCATIONS,
    TRIAGES,
    CANDIDATES,
    QUEUE,
    SUMMARIES,
    DECISIONS,
    POLICY_LIST,
)


def levels(code: str) -> dict[str, str | None]:
    """A division code's county, town and village (None above the code's own level)."""
    return {
        "county": code[:6],
        "town": code[:9] if len(code) >= 9 else None,
        "village": code if len(code) >= 12 else None,
    }
