"""JSON Schemas of the data of every event type a department may publish."""

from __future__ import annotations

from typing import Any

from domain.households.identity import HOUSEHOLD_KEY_PATTERN
from domain.households.vocabulary import Assistance, Channel, Circumstance
from domain.shared.taxonomy import Category, NeedType, Urgency

Schema = dict[str, Any]

_TEXT: Schema = {"type": "string", "minLength": 1, "maxLength": 2000}
_NOTE: Schema = {"type": "string", "maxLength": 2000}
_DEPARTMENT: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": 120,
    "description": "The acting department or provider, e.g. 'civil-affairs' or 'hrss'",
}
_UUID: Schema = {"type": "string", "format": "uuid"}
_REGION: Schema = {
    "type": "string",
    "pattern": "^([0-9]{6}|[0-9]{9}|[0-9]{12})$",
    "description": "Administrative division code: 6 (county), 9 (town) or 12 (village) digits",
}
_HOUSEHOLD: Schema = {
    "type": "object",
    "description": "Give the registration number (pseudonymised on arrival, never stored) "
    "or the household key zhulian returned earlier",
    "properties": {
        "registration_number": {"type": "string", "pattern": "^[0-9A-Za-z]{6,64}$"},
        "household_key": {"type": "string", "pattern": HOUSEHOLD_KEY_PATTERN},
    },
    "oneOf": [{"required": ["registration_number"]}, {"required": ["household_key"]}],
    "additionalProperties": False,
}


def _enum(kind: Any) -> Schema:
    return {"type": "string", "enum": [m.value for m in kind]}


def _object(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


MEMBER: Schema = {
    "type": "object",
    "properties": {
        "relation": {"type": "string", "minLength": 1, "maxLength": 40},
        "birth_year": {"type": "integer", "minimum": 1900, "maximum": 2100},
        "circumstances": {"type": "array", "items": _enum(Circumstance), "uniqueItems": True},
        "disability_grade": {"type": "integer", "enum": [1, 2, 3, 4]},
    },
    "required": ["relation"],
    "additionalProperties": False,
}

HOUSEHOLD_DISCOVERED = _object(
    {
        "household": _HOUSEHOLD,
        "region_code": _REGION,
        "channel": _enum(Channel),
        "reported_by": _DEPARTMENT,
    },
    {"members": {"type": "array", "items": MEMBER, "maxItems": 30}, "note": _NOTE},
)
ASSISTANCE_GRANTED = _object(
    {"household": _HOUSEHOLD, "status": _enum(Assistance), "department": _DEPARTMENT}
)
ASSISTANCE_ENDED = _object(
    {
        "household": _HOUSEHOLD,
        "status": _enum(Assistance),
        "department": _DEPARTMENT,
        "reason": _TEXT,
    }
)
HOUSEHOLD_ASSESSED = _object(
    {
        "household": _HOUSEHOLD,
        "difficulty_circle": {"type": "integer", "enum": [1, 2, 3]},
        "group": {"type": "string", "minLength": 1, "maxLength": 80},
        "department": _DEPARTMENT,
    },
    {"plan": _NOTE},
)
NEED_RAISED = _object(
    {
        "household": _HOUSEHOLD,
        "need_type": _enum(NeedType),
        "category": _enum(Category),
        "urgency": _enum(Urgency),
        "description": _TEXT,
        "raised_by": _DEPARTMENT,
    },
    {"region_code": _REGION},
)
NEED_CLOSED = _object({"need_id": _UUID, "department": _DEPARTMENT, "reason": _TEXT})
REFERRAL_REQUESTED = _object(
    {"need_id": _UUID, "from_department": _DEPARTMENT, "to_department": _DEPARTMENT},
    {"note": _NOTE},
)
_STEP = {"referral_id": _UUID, "department": _DEPARTMENT}
REFERRAL_ACCEPTED = _object(_STEP)
REFERRAL_ROUTED = _object({**_STEP, "to_unit": _TEXT}, {"note": _NOTE})
REFERRAL_FEEDBACK = _object({**_STEP, "content": _TEXT})
REFERRAL_COMPLETED = _object({**_STEP, "outcome": _TEXT})
REFERRAL_FOLLOWED_UP = _object({**_STEP, "satisfied": {"type": "boolean"}}, {"note": _NOTE})
REFERRAL_REFUSED = _object({**_STEP, "reason": _TEXT})
REFERRAL_REASSIGNED = _object({**_STEP, "to_department": _DEPARTMENT, "reason": _TEXT})
