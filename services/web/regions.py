"""The region picker: the counties, towns and villages households live in, by name."""

from __future__ import annotations

from projections.household_file.queries import household_regions
from projections.runtime.query import ReadStore
from services import divisions


def _name(code: str) -> str:
    name = divisions.name_of(code)
    if name is not None:
        return name
    known = divisions.local_name(code)
    return f"{known} · {code}" if known else code


def region_choices(store: ReadStore, chosen: str | None = None) -> list[tuple[str, str, int]]:
    """(code, name, depth) for each county, town and village in use, nested in code order."""
    codes: set[str] = set()
    for code in household_regions(store):
        codes.update(code[:n] for n in (6, 9, 12) if len(code) >= n)
    if chosen:
        codes.add(chosen)
    depth = {6: 0, 9: 1, 12: 2}
    return [(code, _name(code), depth.get(len(code), 0)) for code in sorted(codes)]
