"""HSDS 3.0 as JSON Schemas, built from the transcribed facts in `hsds-3.0.json`.

`schema(document)` is the specification's own shape of that document (compiled/service.json,
compiled/organization.json, location.json …): unknown properties are allowed, as in the published
schemas. `schema(document, strict=True)` is what the specification's CI checks its examples with:
the same schema with `additionalProperties: false` on every object.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

Schema = dict[str, Any]
DIALECT = "https://json-schema.org/draft/2020-12/schema"
VERSION = "3.0"


@cache
def facts() -> dict[str, Any]:
    """The transcription: objects, documents and the page wrapper."""
    text = resources.files("services.hsds").joinpath("hsds-3.0.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def documents() -> list[str]:
    """Names of the documents the specification publishes a schema for."""
    return [n for n, d in facts()["documents"].items() if "(" not in d["file"]]


def _scalar(kind: Any) -> Schema:
    if isinstance(kind, list):
        return {"type": "string", "enum": kind}
    name, _, fmt = str(kind).partition(":")
    return {"type": name, "format": fmt} if fmt else {"type": name}


def _is_nested(kind: Any) -> bool:
    return isinstance(kind, str) and kind.removesuffix("[]") in facts()["objects"]


def _reference(kind: str) -> Schema:
    target = {"$ref": f"#/$defs/{kind.removesuffix('[]')}"}
    return {"type": "array", "items": target} if kind.endswith("[]") else target


def _object(required: list[str], properties: dict[str, Schema], strict: bool) -> Schema:
    out: Schema = {"type": "object", "properties": properties, "required": required}
    if strict:
        out["additionalProperties"] = False
    return out


def _document_schema(name: str, strict: bool) -> Schema:
    spec = facts()["documents"][name]
    obj = facts()["objects"][spec["object"]]
    properties: dict[str, Schema] = {}
    for prop, kind in obj["properties"].items():
        if prop in spec.get("drop", ()):
            continue
        if _is_nested(kind):
            if not spec.get("flat"):
                properties[prop] = _reference(kind)
        else:
            properties[prop] = _scalar(kind)
    for prop, kind in spec.get("add", {}).items():
        properties[prop] = _reference(kind)
    return _object(obj["required"], properties, strict)


@cache
def _schema(name: str, strict: bool) -> Schema:
    defs: dict[str, Schema] = {}
    for obj_name, obj in facts()["objects"].items():
        props = {
            p: _reference(k) if _is_nested(k) else _scalar(k) for p, k in obj["properties"].items()
        }
        defs[obj_name] = _object(obj["required"], props, strict)
    for doc in facts()["documents"]:
        if doc not in facts()["objects"]:
            defs[doc] = _document_schema(doc, strict)
    root = _document_schema(name, strict)
    return {
        "$schema": DIALECT,
        "$id": f"urn:zhulian:hsds:{VERSION}:{name}{':strict' if strict else ''}",
        "title": f"HSDS {VERSION} {name} ({facts()['documents'][name]['file']})",
        **root,
        "$defs": defs,
    }


def schema(name: str, *, strict: bool = False) -> Schema:
    """The JSON Schema of one HSDS 3.0 document (service, organization, location, …_list …)."""
    if name not in facts()["documents"]:
        raise KeyError(name)
    return _schema(name, strict)


def page_schema(item: str, *, strict: bool = False) -> Schema:
    """A paged list (the specification's openapi.json Page) whose contents are `item` documents."""
    inner = schema(item, strict=strict)
    props: dict[str, Schema] = {p: {"type": k} for p, k in facts()["page"]["properties"].items()}
    props["contents"] = {"type": "array", "items": {"$ref": "#/$defs/_item"}}
    root = _object([], props, strict)
    item_schema = {k: v for k, v in inner.items() if k not in ("$schema", "$id", "$defs", "title")}
    return {
        "$schema": DIALECT,
        "$id": f"urn:zhulian:hsds:{VERSION}:page:{item}{':strict' if strict else ''}",
        **root,
        "$defs": {**inner["$defs"], "_item": item_schema},
    }


@cache
def validator(name: str, *, strict: bool = False, page: bool = False) -> Draft202012Validator:
    """A validator that checks formats too (uuid, uri, email, date-time), as the HSDS CI does."""
    built = page_schema(name, strict=strict) if page else schema(name, strict=strict)
    return Draft202012Validator(built, format_checker=FormatChecker())
