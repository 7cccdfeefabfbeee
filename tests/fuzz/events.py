"""CloudEvents per catalogue type, drawn from each type's published JSON Schema.

Schemathesis reads the schemas (gathered into one OpenAPI document, an operation per type) and
draws `data` that satisfies them (positive) or violates them (negative). `events()` then grounds
a share of them in a world (real division codes, records that exist, registration numbers
already seen) so that many are accepted, and makes others hostile: boundary integers, odd
unicode, control characters, extreme timestamps, deep nesting, long strings, wrong types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any
from uuid import UUID

import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode

from services.ingest.catalogue import CATALOGUE, EventType

CURRENT: list[EventType] = [t for t in CATALOGUE.values() if t.legacy is None]
SOURCE = "/330106/fuzz"
# Real divisions of the demo district's county (2023 edition) and one elsewhere.
CODES = ["330106", "330106002", "330106002051", "330106004", "330106004053", "330106008201"]
CODES += ["330106005", "330106005001", "110101", "110101001"]
PREFIXES = ["33", "3301", "330106", "3301060", "330106002", "33010600205", "330106004053"]
ZONES = [
    UTC,
    timezone(timedelta(hours=8)),
    timezone(timedelta(hours=14)),
    timezone(-timedelta(hours=12)),
]
EARLIEST, LATEST = datetime(2026, 11, 22, 9), datetime(2026, 11, 23, 8, 59)
EXTREME_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "1970-01-01T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-11-23t09:00:00z",
    "2026-11-23T09:00:00.123456789+08:00",
    "2026-11-23 09:00:00",
    "2026-11-23T24:00:00Z",
    "-2026-11-23T09:00:00Z",
]
HOSTILE: list[Any] = [
    2**63,
    2**63 - 1,
    -(2**63) - 1,
    2**31,
    -1,
    0,
    10**400,
    1e308,
    -0.0,
    True,
    None,
    [],
    {},
    "",
    "\x00",
    "dept\x00name",
    "a\x1bb",
    "\u202eevil",
    "\ufeff",
    "\U0010ffff",
    "𠀀" * 300,
    "x" * 9000,
    "330106002051\n",
    " 330106002051",
    "３３０１０６",
    "0" * 12,
]


def _deep(levels: int) -> Any:
    node: Any = "bottom"
    for i in range(levels):
        node = [node] if i % 2 else {"n": node}
    return node


HOSTILE += [_deep(40), _deep(12)]


LISTS = ["/v1/households", "/v1/needs", "/v1/referrals", "/v1/providers", "/v1/services"]
LISTS += ["/v1/funds", "/v1/contracts", "/v1/pairings", "/v1/screening/alerts"]


@dataclass
class World:
    """What exists: record ids by the field naming them, registration numbers, household keys."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    registrations: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    sent: int = 0

    def serial(self) -> int:
        """A fresh number for an event id (ids never repeat by accident)."""
        self.sent += 1
        return self.sent

    def learn_lists(self, client: Any) -> None:
        """Remember the records the views list (ids by their field name) and household keys."""
        for path in LISTS:
            for item in client.get(path, params={"limit": 200}).json()["items"]:
                for name, value in item.items():
                    if name.endswith("_id") and isinstance(value, str) and is_uuid(value):
                        self.ids.setdefault(name, [])
                        if value not in self.ids[name]:
                            self.ids[name].append(value)
                if isinstance(item.get("household_key"), str):
                    self.keys.append(item["household_key"])

    def learn(self, result: dict[str, Any], data: Any) -> None:
        """Remember the record a stored event created, and the household it named."""
        if result.get("record_id") and result.get("record"):
            ids = self.ids.setdefault(f"{result['record']}_id", [])
            if result["record_id"] not in ids:
                ids.append(result["record_id"])
        household = data.get("household") if isinstance(data, dict) else None
        number = household.get("registration_number") if isinstance(household, dict) else None
        if isinstance(number, str) and number not in self.registrations:
            self.registrations.append(number)


def _rehome(name: str, schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The type's schema and its `$defs`, with references pointing into `components`."""
    prefix = re.sub(r"[^A-Za-z0-9]", "_", name)

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: f"#/components/schemas/{prefix}__{v.rsplit('/', 1)[1]}"
                if k == "$ref"
                else fix(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    body = {k: v for k, v in schema.items() if k not in ("$schema", "$id", "$defs")}
    defs = {f"{prefix}__{k}": fix(v) for k, v in schema.get("$defs", {}).items()}
    return fix(body), defs


@cache
def _catalogue_api() -> Any:
    """Every current type's data schema as the request body of one operation."""
    paths: dict[str, Any] = {}
    components: dict[str, Any] = {}
    for event_type in CURRENT:
        body, defs = _rehome(event_type.name, event_type.schema)
        components.update(defs)
        content = {"application/json": {"schema": body}}
        paths[f"/{event_type.name}"] = {
            "post": {
                "requestBody": {"required": True, "content": content},
                "responses": {"200": {"description": "taken"}},
            }
        }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "zhulian event catalogue", "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }
    return schemathesis.openapi.from_dict(document)


@cache
def schema_data(type_name: str, mode: GenerationMode) -> st.SearchStrategy[Any]:
    """`data` drawn from the type's JSON Schema: satisfying it (positive) or not (negative)."""
    operation = _catalogue_api()[f"/{type_name}"]["POST"]
    return operation.as_strategy(generation_mode=mode).map(lambda case: _json(case.body))


def _json(body: Any) -> Any:
    # Negative generation may give raw bytes (a body that is not JSON at all); as `data` of a
    # structured event they become a string: still the wrong type, but sendable.
    return body.decode("latin-1") if isinstance(body, bytes) else body


def _ground(draw: Any, node: Any, world: World, key: str = "") -> Any:
    """Replace references by things that exist, so the event can be accepted."""
    if isinstance(node, list):
        return [_ground(draw, v, world, key) for v in node]
    if not isinstance(node, dict):
        if key == "region_code" or key == "covers":
            return draw(st.sampled_from(CODES))
        if key in ("areas", "region"):
            return draw(st.sampled_from(PREFIXES))
        if key in world.ids and world.ids[key] and draw(st.integers(0, 9)) > 0:
            return draw(st.sampled_from(world.ids[key]))
        return node
    out = {}
    for k, v in node.items():
        if k == "household" and isinstance(v, dict):
            out[k] = _household(draw, world)
        else:
            out[k] = _ground(draw, v, world, k)
    return out


def _household(draw: Any, world: World) -> dict[str, str]:
    choice = draw(st.integers(0, 3))
    if choice == 0 and world.keys:
        return {"household_key": draw(st.sampled_from(world.keys))}
    if choice < 3 and world.registrations:
        return {"registration_number": draw(st.sampled_from(world.registrations))}
    return {"registration_number": f"FUZZ{draw(st.integers(0, 10**9)):010d}"}


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value a hostile value can go."""
    if isinstance(node, dict):
        return [path] + [p for k, v in node.items() for p in _paths(v, (*path, k))]
    if isinstance(node, list):
        return [path] + [p for i, v in enumerate(node) for p in _paths(v, (*path, i))]
    return [path]


def _put(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {**node, head: _put(node[head], rest, value)}
    copy = list(node)
    copy[head] = _put(copy[head], rest, value)
    return copy


def _hostile(draw: Any, data: Any) -> Any:
    """The data with one value made hostile, a field dropped, or an unknown field added."""
    how = draw(st.integers(0, 5))
    if how == 0 and isinstance(data, dict) and data:
        dropped = draw(st.sampled_from(sorted(data)))
        return {k: v for k, v in data.items() if k != dropped}
    if how == 1 and isinstance(data, dict):
        return {**data, "surprise": draw(st.sampled_from(HOSTILE))}
    where = draw(st.sampled_from(_paths(data)[1:] or [()]))
    return _put(data, where, draw(st.sampled_from(HOSTILE)))


@st.composite
def events(draw: Any, world: World, *, hostile: bool = True) -> dict[str, Any]:
    """One structured CloudEvent of a catalogue type: grounded, raw from the schema, negative or
    hostile (a value of HOSTILE somewhere, or an extreme time)."""
    event_type = draw(st.sampled_from(CURRENT))
    kind = draw(st.sampled_from(["grounded", "grounded", "raw", "negative", "hostile"]))
    if not hostile and kind in ("negative", "hostile"):
        kind = "grounded"
    mode = GenerationMode.NEGATIVE if kind == "negative" else GenerationMode.POSITIVE
    data = draw(schema_data(event_type.name, mode))
    if kind in ("grounded", "hostile"):
        data = _ground(draw, data, world)
    if kind == "hostile":
        data = _hostile(draw, data)
    # Claimed times in the day before the edges' clocks (after the demo's steps, not ahead).
    when = draw(st.datetimes(EARLIEST, LATEST, timezones=st.just(UTC)))
    when = when.astimezone(draw(st.sampled_from(ZONES)))
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": f"fuzz-{world.serial()}",
        "source": SOURCE,
        "type": event_type.name,
        "time": when.isoformat(),
        "data": data,
    }
    if kind == "hostile" and draw(st.integers(0, 3)) == 0:
        event["time"] = draw(st.sampled_from(EXTREME_TIMES))
    return event


def is_uuid(text: Any) -> bool:
    """Whether a value reads as a UUID (the ids the API returns)."""
    try:
        UUID(str(text))
    except ValueError:
        return False
    return True
