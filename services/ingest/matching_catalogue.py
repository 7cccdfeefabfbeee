"""Match-queue event types: the coordinators' actions and the alliance's matching policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.households.vocabulary import Assistance
from domain.ingest.model import Outcome
from domain.matching.policy import DEFAULT_WEIGHTS, Policy
from domain.shared.regions import Level
from domain.shared.taxonomy import Category
from services.ingest import schemas as s
from services.ingest.schemas import Schema
from services.ingest.supply_catalogue import fen
from services.ingest.supply_schemas import money

if TYPE_CHECKING:
    from domain.alliance import Alliance
    from services.ingest.catalogue import Context

Handle = Callable[["Alliance", dict[str, Any], "Context"], Outcome]

_WEIGHT: Schema = {"type": "integer", "minimum": 0, "maximum": 100}
EXCLUSION: Schema = {
    "type": "object",
    "description": "An entry of the policy list (政策清单): who may not be matched to what",
    "properties": {
        "reason": s._TEXT,
        "target": {"type": "string", "description": "An offering, provider or fund id"},
        "category": s._enum(Category),
        "statuses": {"type": "array", "items": s._enum(Assistance), "uniqueItems": True},
    },
    "required": ["reason"],
    "minProperties": 2,
    "additionalProperties": False,
}
SETTINGS: Schema = {
    "type": "object",
    "properties": {
        "weights": {
            "type": "object",
            "properties": {name: _WEIGHT for name in DEFAULT_WEIGHTS},
            "additionalProperties": False,
        },
        "require_need_type": {"type": "boolean"},
        "widest_level": {"type": "string", "enum": [level.value for level in Level]},
        "require_circle": {"type": "boolean"},
        "circle_km": {"type": "integer", "minimum": 1, "maximum": 50},
        "grant_fen": {"type": "integer", "minimum": 1, "maximum": 10**15},
        "exclusions": {"type": "array", "items": EXCLUSION, "maxItems": 200},
    },
    "additionalProperties": False,
}
POLICY_ADOPTED = s._object(
    {"region_code": s._REGION, "settings": SETTINGS, "by": s._DEPARTMENT, "reason": s._TEXT}
)
_AMOUNT, _ = money("amount")
CANDIDATE_ACCEPTED: Schema = {
    **s._object(
        {"need_id": s._UUID, "candidate_id": s._UUID, "department": s._DEPARTMENT},
        {
            "units": {"type": "integer", "minimum": 1, "maximum": 1000},
            "to_department": s._DEPARTMENT,
            "note": s._NOTE,
            **_AMOUNT,
        },
    ),
    "not": {"required": ["amount_fen", "amount_yuan"]},
}
CANDIDATE_REJECTED = s._object(
    {"need_id": s._UUID, "candidate_id": s._UUID, "department": s._DEPARTMENT, "reason": s._TEXT}
)
NEED_ESCALATED = s._object(
    {"need_id": s._UUID, "department": s._DEPARTMENT, "reason": s._TEXT},
    {"to_department": s._DEPARTMENT},
)


def _policy(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.adopt_matching_policy(
        region_code=d["region_code"],
        settings=Policy.parse(d["settings"]),
        by=d["by"],
        reason=d["reason"],
        at=c.at,
        key=c.key,
    )


def _accepted(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    has_amount = "amount_fen" in d or "amount_yuan" in d
    return app.accept_candidate(
        need_id=UUID(d["need_id"]),
        candidate_id=UUID(d["candidate_id"]),
        by=d["department"],
        at=c.at,
        units=d.get("units", 1),
        amount_fen=fen(d, "amount") if has_amount else None,
        to_department=d.get("to_department"),
        note=d.get("note", ""),
        key=c.key,
    )


def _rejected(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.reject_candidate(
        need_id=UUID(d["need_id"]),
        candidate_id=UUID(d["candidate_id"]),
        reason=d["reason"],
        by=d["department"],
        at=c.at,
        key=c.key,
    )


def _escalated(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.escalate_need(
        need_id=UUID(d["need_id"]),
        reason=d["reason"],
        by=d["department"],
        at=c.at,
        to_department=d.get("to_department"),
        key=c.key,
    )


# (name, summary, schema, handler), wrapped into EventTypes by the catalogue.
MATCHING_TYPES: list[tuple[str, str, Schema, Handle]] = [
    (
        "match.policy_adopted.v1",
        "The alliance's matching weights, switches and policy-list exclusions (a new version)",
        POLICY_ADOPTED,
        _policy,
    ),
    (
        "match.candidate_accepted.v1",
        "A coordinator chose a candidate: the referral, the need and the capacity or money "
        "reservation in one commit (refused when the last unit or yuan is gone)",
        CANDIDATE_ACCEPTED,
        _accepted,
    ),
    (
        "match.candidate_rejected.v1",
        "A coordinator ruled a candidate out for a need, with the reason",
        CANDIDATE_REJECTED,
        _rejected,
    ),
    (
        "match.need_escalated.v1",
        "A need moved to the next level's queue (village → town → county)",
        NEED_ESCALATED,
        _escalated,
    ),
]
