"""One HSDS 3.0 organization or service → the data of our provider and offering events.

Never stricter than HSDS: what we cannot hold (a latitude outside ±90, a currency other than
yuan, a name longer than ours) is left out and noted; properties we do not model are listed as
ignored. Only what a record cannot be without (a category by the declared mapping, an area) is
an error, and the error says how to supply it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.households.vocabulary import Assistance
from domain.supply.terms import UNITS
from services.hsds.areas import Point, map_areas
from services.hsds.export import DIVISION_CODE
from services.hsds.taxonomy import classify, field_of

MAX_NAME, MAX_TEXT = 200, 2000
BY = "hsds-import"
_ORGANIZATION_MODELLED = {"id", "name", "description", "attributes", "services"}
_SERVICE_MODELLED = {
    "id", "organization_id", "name", "description", "status", "eligibility_description",
    "minimum_age", "maximum_age", "organization", "service_areas", "service_at_locations",
    "cost_options", "funding", "attributes",
}  # fmt: skip


@dataclass
class Mapped:
    """Our event data for one HSDS record, and what the report says about it."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Defaults:
    """What the caller declared for records the document does not classify or place."""

    region: str
    category: str | None = None
    need_type: str | None = None


def _text(value: Any, limit: int, what: str, notes: list[str]) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        notes.append(f"{what} shortened to {limit} characters")
        text = text[:limit]
    return text


def _name(record: dict[str, Any], what: str, notes: list[str]) -> str:
    """HSDS allows an empty name; ours needs one: the alternate name, else one made of the id."""
    name = _text(record.get("name"), MAX_NAME, "name", notes)
    if not name:
        name = _text(record.get("alternate_name"), MAX_NAME, "alternate name", notes)
        name = name or f"{what} {record.get('id')}"
        notes.append(f"the name is empty; named {name!r}")
    return name


def _terms(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        a["taxonomy_term"]
        for a in record.get("attributes") or []
        if isinstance(a.get("taxonomy_term"), dict)
    ]


def _ours(record: dict[str, Any], target: str) -> list[tuple[str, Any]]:
    return [
        (str(a["taxonomy_term"].get("code") or ""), a.get("value"))
        for a in record.get("attributes") or []
        if isinstance(a.get("taxonomy_term"), dict)
        and field_of(str(a["taxonomy_term"].get("taxonomy") or "")) == target
    ]


def provider(org: dict[str, Any], defaults: Defaults) -> Mapped:
    """provider.registered data for an HSDS organization."""
    out = Mapped({}, ignored=sorted(set(org) - _ORGANIZATION_MODELLED))
    kinds = [c for c, _ in _ours(org, "provider_kind")]
    regions = [c for c, _ in _ours(org, "region")]
    if not kinds:
        out.notes.append("kind social_organisation: no zhulian-provider-kind term")
    if not regions:
        out.notes.append(f"region {defaults.region}: the request's region_code")
    name = _name(org, "HSDS organization", out.notes)
    description = _text(org.get("description"), MAX_TEXT, "description", out.notes)
    out.data = {
        "name": name,
        "kind": kinds[0] if kinds else "social_organisation",
        "region_code": regions[0] if regions else defaults.region,
        "description": "" if description == name else description,
        "actor": BY,
    }
    return out


def _places(svc: dict[str, Any], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    linked = [
        s["location"]
        for s in svc.get("service_at_locations") or []
        if isinstance(s.get("location"), dict)
    ]
    return linked + extra


def _division(loc: dict[str, Any]) -> str | None:
    code = str(loc.get("external_identifier") or "")
    typed = loc.get("external_identifier_type") == DIVISION_CODE
    return code if typed and code.isdigit() and len(code) in (6, 9, 12) else None


def _points(places: list[dict[str, Any]]) -> list[Point]:
    out = []
    for loc in places:
        code, lat, lon = _division(loc), loc.get("latitude"), loc.get("longitude")
        if code and isinstance(lat, int | float) and isinstance(lon, int | float):
            out.append((float(lon), float(lat), code))
    return out


def _location(loc: dict[str, Any], defaults: Defaults, notes: list[str]) -> dict[str, Any]:
    code = _division(loc)
    if code is None:
        notes.append(
            f"location {loc.get('id')}: no {DIVISION_CODE} identifier; region {defaults.region}"
        )
    out: dict[str, Any] = {
        "name": _text(
            loc.get("name") or loc.get("alternate_name") or "location",
            MAX_NAME,
            "location name",
            notes,
        ),
        "region_code": code or defaults.region,
    }
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            out.update(latitude=lat, longitude=lon)
        else:
            notes.append(
                f"location {loc.get('id')}: coordinates ({lat}, {lon}) are not on Earth; left out"
            )
    return out


def _cost(svc: dict[str, Any], notes: list[str]) -> int | None:
    for index, option in enumerate(svc.get("cost_options") or []):
        amount, currency = option.get("amount"), str(option.get("currency") or "CNY")
        if amount is None:
            continue
        if currency.upper() != "CNY":
            notes.append(f"cost_options[{index}]: {amount} {currency} is not in yuan; left out")
            continue
        try:
            fen = Decimal(str(amount)) * 100
        except InvalidOperation:
            continue
        if fen < 0 or fen != fen.to_integral_value():
            notes.append(f"cost_options[{index}]: {amount} is not a whole number of fen; left out")
            continue
        return int(fen)
    return None


def _age(value: Any, name: str, notes: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and value == int(value) and 0 <= value <= 150:
        return int(value)
    notes.append(f"{name} {value} is not a whole age in years; left out")
    return None


def _capacity(svc: dict[str, Any], data: dict[str, Any], notes: list[str]) -> None:
    found = dict(_ours(svc, "capacity"))
    maximum, unit = found.get("monthly_capacity"), found.get("capacity_unit")
    if maximum is not None:
        if str(maximum).isdigit():
            data["capacity"] = int(str(maximum))
        else:
            notes.append(f"monthly capacity {maximum!r} is not a whole number; left out")
    if unit is not None:
        if unit in UNITS:
            data["unit"] = unit
        else:
            notes.append(f"capacity unit {unit!r} is not one of {', '.join(UNITS)}; left out")


def offering(svc: dict[str, Any], defaults: Defaults, extra_places: list[dict[str, Any]]) -> Mapped:
    """offering data (without provider_id) for an HSDS service."""
    out = Mapped({}, ignored=sorted(set(svc) - _SERVICE_MODELLED))
    notes = out.notes
    kind = classify(_terms(svc))
    notes += kind.notes
    category, need_type = kind.category, kind.need_type
    if category is None and defaults.category:
        category = defaults.category
        notes.append(f"category {category}: the request's default")
    if need_type is None and defaults.need_type:
        need_type = defaults.need_type
        notes.append(f"need type {need_type}: the request's default")
    for what, value in (("category", category), ("need_type", need_type)):
        if value is None:
            reason = "no term of the declared taxonomy mapping gives it (GET /v1/hsds/taxonomies)"
            out.errors.append({"field": what, "reason": f"{reason}; or pass {what}= to the import"})
    places = _places(svc, extra_places)
    areas = map_areas(svc.get("service_areas") or [], _points(places))
    notes += areas.notes
    codes = areas.codes
    if not codes:
        codes = [defaults.region]
        notes.append(f"area {defaults.region}: no service area maps to a division code")
    statuses = [c for c, _ in _ours(svc, "eligibility_status")]
    unknown = [s for s in statuses if s not in {a.value for a in Assistance}]
    if unknown:
        notes.append(f"assistance statuses {unknown} are not ours; left out")
    data: dict[str, Any] = {
        "name": _name(svc, "HSDS service", notes),
        "description": _text(svc.get("description"), MAX_TEXT, "description", notes),
        "need_type": need_type,
        "category": category,
        "areas": codes,
        "eligibility": {
            "statuses": sorted(set(statuses) - set(unknown)),
            "groups": sorted({c for c, _ in _ours(svc, "eligibility_group")}),
            "disability_required": bool(_ours(svc, "disability_required")),
            "description": _text(
                svc.get("eligibility_description"), MAX_TEXT, "eligibility", notes
            ),
        },
        "actor": BY,
    }
    for name in ("minimum_age", "maximum_age"):
        if (age := _age(svc.get(name), name, notes)) is not None:
            data["eligibility"][name] = age
    if (fen := _cost(svc, notes)) is not None:
        data["cost_fen"] = fen
    funding = [f["source"] for f in svc.get("funding") or [] if f.get("source")]
    if funding:
        data["funding_source"] = _text(funding[0], MAX_TEXT, "funding source", notes)
    linked = _places(svc, [])
    if linked:
        data["location"] = _location(linked[0], defaults, notes)
    _capacity(svc, data, notes)
    return out if out.errors else Mapped(data, notes, out.ignored)
