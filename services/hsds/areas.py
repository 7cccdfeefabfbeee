"""HSDS service areas → division-code prefixes, honouring `extent_type`.

- `text` (or no type): the extent, name or uri is read as a division code (2 to 12 digits).
- `geojson`: a Feature whose properties carry a division code (`adcode`, as Chinese boundary
  files do, or `code` / `division_code`) gives that code; otherwise the area is mapped by
  containment — the divisions of the document's own places whose coordinates lie inside it.
- anything else (`topojson`, `kml`, …) or an extent that does not parse is not mapped: the
  import keeps going and reports it, with the extent, so nothing is lost silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_PREFIX = re.compile(r"^[0-9]{2,12}$")
_CODE_PROPERTIES = ("adcode", "code", "division_code")
Point = tuple[float, float, str]  # longitude, latitude, division code


@dataclass
class Areas:
    """Codes found, and what could not be mapped (reported, never dropped silently)."""

    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _code(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if _PREFIX.match(text) else None


def _inside(lon: float, lat: float, ring: list[Any]) -> bool:
    """Ray casting: is the point inside the closed ring?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _polygons(geometry: dict[str, Any]) -> list[list[Any]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries", []) for p in _polygons(g)]
    return []


def _contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    for polygon in _polygons(geometry):
        rings = [[(float(p[0]), float(p[1])) for p in ring] for ring in polygon]
        if (
            rings
            and _inside(lon, lat, rings[0])
            and not any(_inside(lon, lat, h) for h in rings[1:])
        ):
            return True
    return False


def _features(document: Any) -> list[dict[str, Any]]:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection":
        return [f for f in document.get("features", []) if isinstance(f, dict)]
    if kind == "Feature":
        return [document]
    if isinstance(kind, str):
        return [{"type": "Feature", "geometry": document, "properties": {}}]
    raise ValueError("not a GeoJSON object")


def _geojson(extent: str, places: list[Point]) -> tuple[list[str], str | None]:
    try:
        features = _features(json.loads(extent))
    except (ValueError, TypeError, KeyError, AttributeError):
        return [], "is not GeoJSON"
    codes: list[str] = []
    for feature in features:
        props = feature.get("properties") or {}
        named = [c for c in (_code(props.get(p)) for p in _CODE_PROPERTIES) if c]
        if named:
            codes.append(named[0])
            continue
        try:
            codes += [
                c for lon, lat, c in places if _contains(feature.get("geometry") or {}, lon, lat)
            ]
        except (TypeError, ValueError, IndexError, KeyError):
            return [], "has a geometry that cannot be read"
    if not codes:
        return [], "names no division code and contains none of the document's places"
    return sorted(set(codes)), None


def map_areas(service_areas: list[dict[str, Any]], places: list[Point]) -> Areas:
    """Division-code prefixes for a service's areas, with a note for each area not mapped."""
    out = Areas()
    for index, area in enumerate(service_areas):
        kind = str(area.get("extent_type") or "text").strip().lower()
        extent = area.get("extent")
        where = f"service_areas[{index}]"
        if kind == "text":
            code = next(
                (c for c in map(_code, (extent, area.get("name"), area.get("uri"))) if c), None
            )
            if code:
                out.codes.append(code)
            else:
                out.notes.append(
                    f"{where}: text area {str(extent or area.get('name'))[:120]!r}"
                    " is not a division code; not mapped"
                )
        elif kind == "geojson" and isinstance(extent, str):
            codes, problem = _geojson(extent, places)
            out.codes += codes
            if problem:
                out.notes.append(
                    f"{where}: GeoJSON extent {problem}; kept in this report, not mapped:"
                    f" {extent[:200]!r}"
                )
        else:
            out.notes.append(
                f"{where}: extent_type {kind!r} is not read; kept in this report, not mapped:"
                f" {str(extent)[:200]!r}"
            )
    out.codes = sorted(set(out.codes))
    return out
