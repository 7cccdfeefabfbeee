"""The JSON Schema an event type publishes, generated from its data model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(
    type_name: str, summary: str, data: type[BaseModel], renamed: dict[str, str] | None = None
) -> dict[str, Any]:
    """The model's JSON Schema, titled and identified by the type; `renamed` gives an older
    version's field names (current name → older name)."""
    schema = _without_titles(data.model_json_schema(mode="validation"))
    if renamed:
        old = {k: renamed.get(k, k) for k in schema.get("properties", {})}
        schema["properties"] = {old[k]: v for k, v in schema["properties"].items()}
        schema["required"] = [old[k] for k in schema.get("required", [])]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"/v1/event-types/{type_name}/schema",
        "title": type_name,
        "description": summary,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def _without_titles(node: Any) -> Any:
    """Drop pydantic's generated titles (the property names already say it)."""
    if isinstance(node, dict):
        return {
            k: _without_titles(v)
            for k, v in node.items()
            if not (k == "title" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_without_titles(v) for v in node]
    return node
