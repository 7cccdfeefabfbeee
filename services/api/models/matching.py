"""The match queue, candidates with their reasons, gaps and policy versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from services.api.models.common import Model, Page


class QueueEntry(Model):
    """An open need in a coordinator's queue, with its best candidate."""

    need_id: str
    household_id: str
    region_code: str
    owner_code: str = Field(description="Whose queue it is in (changes on escalation)")
    owner_county: str | None
    owner_town: str | None
    owner_village: str | None
    department: str | None
    need_type: str
    category: str
    urgency: str
    description: str | None
    raised_at: datetime
    has_candidate: int = Field(description="0: a gap, no service can take it")
    neg_priority: int = Field(description="Minus the stored priority (urgency, circle)")
    escalated: bool
    policy_version: int | None
    candidates: int | None
    services: int | None
    best_id: str | None
    best_name: str | None
    best_score: int | None
    waiting_days: float


class QueuePage(Page[QueueEntry]):
    """A page of a match queue."""

    order: str


class CheckResult(Model):
    """One rule's verdict on a candidate."""

    rule: str
    passed: bool
    reason: str


class Candidate(Model):
    """A candidate judged for a need: checks, score parts, and whether it was chosen."""

    need_id: str
    candidate_id: str
    kind: str = Field(description="offering or fund")
    name: str
    provider_name: str | None
    eligible: bool
    rejected: bool
    rejected_reason: str | None
    score: int
    level: str | None
    checks: list[CheckResult]
    parts: dict[str, int]
    failed: str | None
    policy_version: int | None
    scored_at: datetime | None
    live: bool
    accepted: bool
    referral_id: str | None


class NeedFacts(Model):
    """A need's facts as the matching view keeps them."""

    need_id: str
    household_id: str
    region_code: str
    county: str
    town: str | None
    village: str | None
    need_type: str
    category: str
    urgency: str
    description: str | None
    raised_at: datetime
    status: str
    owner_code: str
    department: str | None
    rejected: dict[str, Any] | None
    statuses: list[str] | None
    labels: list[str] | None
    birth_years: list[int] | None
    circle: int | None
    # The household's place: its cell (latitude, longitude, two decimals) in clear, and `point`,
    # the sealed point, revealed only to a role that may read the household in clear.
    place: dict[str, Any] | None = None


class NeedCandidates(Model):
    """A need, its place in the queue, its priority's parts and its ranked candidates."""

    need: NeedFacts
    queue: QueueEntry | None
    priority_parts: dict[str, int]
    candidates: list[Candidate]


class Judged(Model):
    """A candidate re-judged under a policy version."""

    candidate_id: str
    kind: str
    name: str
    eligible: bool
    score: int
    level: str | None
    checks: list[CheckResult]
    parts: dict[str, int]
    weights: dict[str, int]
    failed: list[str]
    policy_version: int


class AsDecided(Model):
    """One accept or reject: as it was decided, and as today's rules would decide it."""

    candidate_id: str
    action: str = Field(description="accepted or rejected")
    by: str
    reason: str | None
    decided_at: datetime
    policy_version: int | None
    digest: str | None = Field(
        description="SHA-256 of the recorded inputs (need, candidate, policy); None for a "
        "decision recorded before the inputs were kept"
    )
    reproduced: bool | None = Field(
        description="Whether the recorded inputs, judged again, give the recorded verdicts"
    )
    as_decided: Judged | None
    today: Judged | None = Field(
        description="The candidate judged with today's facts and the newest policy"
    )


class Explanation(Model):
    """A need's candidates judged again under a policy version; its decisions as made."""

    need_id: str
    policy_version: int
    judged_at: datetime
    priority_parts: dict[str, int]
    candidates: list[Judged]
    decisions: list[AsDecided]


class Gap(Model):
    """Open needs of a category in a region that no service can take."""

    category: str
    region: str
    needs: int
    critical: int
    need_types: list[str]
    oldest_raised_at: datetime


class GapReport(Model):
    """The gap report."""

    groups: list[Gap]
    needs: int


class PolicyVersion(Model):
    """One version of an alliance's matching policy."""

    alliance: str
    version: int
    policy_id: str | None
    settings: dict[str, Any]
    by_whom: str | None
    reason: str | None
    adopted_at: datetime | None


class PolicyVersions(Model):
    """Every policy version of an alliance, newest first."""

    alliance: str
    versions: list[PolicyVersion]
