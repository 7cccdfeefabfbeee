"""JSON Schemas of the supply-side events: providers, offerings, funds, contracts."""

from __future__ import annotations

from domain.funds.application import DonorKind
from domain.households.vocabulary import Assistance
from domain.shared.taxonomy import Category, NeedType
from domain.supply.terms import UNITS
from domain.supply.vocabulary import ProviderKind
from services.ingest import schemas as s
from services.ingest.schemas import Schema

_NAME: Schema = {"type": "string", "minLength": 1, "maxLength": 200}
_PREFIX: Schema = {
    "type": "string",
    "pattern": "^[0-9]{2,12}$",
    "description": "A division-code prefix: every household whose village code starts with it",
}
_YUAN: Schema = {
    "type": "string",
    "pattern": "^[0-9]{1,13}(\\.[0-9]{1,2})?$",
    "description": "Yuan as an exact decimal string, e.g. '2500.00' (converted to fen exactly)",
}
_FEN: Schema = {"type": "integer", "minimum": 1, "maximum": 10**15, "description": "Whole fen"}


def money(name: str) -> tuple[dict[str, Schema], list[Schema]]:
    """The pair `<name>_fen` (integer) / `<name>_yuan` (decimal string): give exactly one."""
    props = {f"{name}_fen": _FEN, f"{name}_yuan": _YUAN}
    return props, [{"oneOf": [{"required": [f"{name}_fen"]}, {"required": [f"{name}_yuan"]}]}]


def _with(schema: Schema, extra: dict[str, Schema], rules: list[Schema]) -> Schema:
    out = {**schema, "properties": {**schema["properties"], **extra}}
    return {**out, "allOf": rules} if rules else out


EARMARK: Schema = {
    "type": "object",
    "description": "Restrict money to a group (e.g. single_parent, sanitation_workers), a need "
    "category, a region prefix, or several",
    "properties": {
        "group": {"type": "string", "minLength": 1, "maxLength": 80},
        "category": s._enum(Category),
        "region": _PREFIX,
    },
    "minProperties": 1,
    "additionalProperties": False,
}
ELIGIBILITY: Schema = {
    "type": "object",
    "properties": {
        "statuses": {"type": "array", "items": s._enum(Assistance), "uniqueItems": True},
        "groups": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "minimum_age": {"type": "integer", "minimum": 0, "maximum": 150},
        "maximum_age": {"type": "integer", "minimum": 0, "maximum": 150},
        "disability_required": {"type": "boolean"},
        "description": s._NOTE,
    },
    "additionalProperties": False,
}
LOCATION: Schema = {
    "type": "object",
    "properties": {
        "name": _NAME,
        "region_code": s._REGION,
        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
    },
    "required": ["name", "region_code"],
    "additionalProperties": False,
}
_TERMS_REQUIRED: dict[str, Schema] = {
    "name": _NAME,
    "need_type": s._enum(NeedType),
    "category": s._enum(Category),
    "areas": {"type": "array", "items": _PREFIX, "minItems": 1, "maxItems": 200},
}
_TERMS_OPTIONAL: dict[str, Schema] = {
    "description": s._NOTE,
    "location": LOCATION,
    "capacity": {"type": "integer", "minimum": 0, "description": "Units per month; absent: none"},
    "unit": {"type": "string", "enum": list(UNITS)},
    "eligibility": ELIGIBILITY,
    "cost_fen": {"type": "integer", "minimum": 0, "description": "Cost per unit in fen"},
    "funding_source": s._NOTE,
}

PROVIDER_REGISTERED = s._object(
    {
        "name": _NAME,
        "kind": s._enum(ProviderKind),
        "region_code": s._REGION,
        "registered_by": s._DEPARTMENT,
    },
    {"description": s._NOTE},
)
OFFERING_PUBLISHED = s._object(
    {"provider_id": s._UUID, **_TERMS_REQUIRED, "published_by": s._DEPARTMENT}, _TERMS_OPTIONAL
)
OFFERING_UPDATED = s._object(
    {"offering_id": s._UUID, **_TERMS_REQUIRED, "updated_by": s._DEPARTMENT}, _TERMS_OPTIONAL
)
OFFERING_CLOSED = s._object(
    {"offering_id": s._UUID, "department": s._DEPARTMENT, "reason": s._TEXT}
)
FUND_OPENED = s._object(
    {"name": _NAME, "region_code": s._REGION, "managed_by": s._DEPARTMENT},
    {"description": s._NOTE},
)
_AMOUNT, _AMOUNT_RULE = money("amount")
DONATION_RECEIVED = _with(
    s._object(
        {
            "fund_id": s._UUID,
            "donor": _NAME,
            "donor_kind": s._enum(DonorKind),
            "recorded_by": s._DEPARTMENT,
        },
        {"earmark": EARMARK},
    ),
    _AMOUNT,
    _AMOUNT_RULE,
)
FUND_EARMARKED = _with(
    s._object({"fund_id": s._UUID, "earmark": EARMARK, "by": s._DEPARTMENT}), _AMOUNT, _AMOUNT_RULE
)
FUND_ALLOCATED = _with(
    s._object({"fund_id": s._UUID, "need_id": s._UUID, "by": s._DEPARTMENT}, {"earmark": EARMARK}),
    _AMOUNT,
    _AMOUNT_RULE,
)
ALLOCATION_CANCELLED = s._object(
    {"fund_id": s._UUID, "allocation_id": s._UUID, "reason": s._TEXT, "by": s._DEPARTMENT}
)
FUND_DISBURSED: Schema = {
    **_with(
        s._object(
            {"fund_id": s._UUID, "by": s._DEPARTMENT},
            {
                "allocation_id": s._UUID,
                "need_id": s._UUID,
                "earmark": EARMARK,
                "reference": s._NOTE,
            },
        ),
        _AMOUNT,
        [],
    ),
    "description": "Pay an earlier allocation (allocation_id), or a need at once (need_id and "
    "an amount, optionally from an earmark)",
    "oneOf": [
        {
            "required": ["allocation_id"],
            "not": {"anyOf": [{"required": [k]} for k in ("need_id", "amount_fen", "amount_yuan")]},
        },
        {"required": ["need_id"], **_AMOUNT_RULE[0]},
    ],
}
DONATION_REFUNDED = _with(
    s._object({"fund_id": s._UUID, "donation_id": s._UUID, "reason": s._TEXT, "by": s._DEPARTMENT}),
    _AMOUNT,
    _AMOUNT_RULE,
)
_BUDGET, _BUDGET_RULE = money("budget")
CONTRACT_ITEM: Schema = _with(
    s._object(
        {
            "item_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,39}$"},
            "name": _NAME,
            "need_type": s._enum(NeedType),
            "category": s._enum(Category),
        },
        {
            "offering_id": s._UUID,
            "capacity": {"type": "integer", "minimum": 1, "description": "Person-times"},
        },
    ),
    _BUDGET,
    _BUDGET_RULE,
)
CONTRACT_ITEM.pop("$schema")
CONTRACT_SIGNED = _with(
    s._object(
        {
            "provider_id": s._UUID,
            "title": _NAME,
            "items": {"type": "array", "items": CONTRACT_ITEM, "minItems": 1, "maxItems": 100},
            "signed_by": s._DEPARTMENT,
        },
        {"funding_source": s._NOTE},
    ),
    _BUDGET,
    _BUDGET_RULE,
)
_COST, _COST_RULE = money("cost")
_COST["cost_fen"] = {"type": "integer", "minimum": 0, "maximum": 10**15}
DELIVERY_RECORDED = _with(
    s._object(
        {
            "contract_id": s._UUID,
            "item_id": {"type": "string", "minLength": 1},
            "household": s._HOUSEHOLD,
            "person_times": {"type": "integer", "minimum": 1, "maximum": 100000},
            "provider": s._DEPARTMENT,
        },
        {"note": s._NOTE},
    ),
    _COST,
    _COST_RULE,
)
