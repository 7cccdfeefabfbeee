"""The README's event-catalogue table, generated from the definitions.

`python -m services.ingest.catalogue.docs` rewrites the table in README.md between its markers;
a test fails while the committed table differs from the generated one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from services.ingest.catalogue import CATALOGUE, DEFINITIONS
from services.ingest.catalogue.definition import PREFIX, Effect

START = "<!-- event-catalogue:start (generated: python -m services.ingest.catalogue.docs) -->"
END = "<!-- event-catalogue:end -->"


def _fields(name: str) -> str:
    schema = CATALOGUE[name].schema
    required = set(schema.get("required", []))
    shown = [
        f"`{f}`" + ("" if f in required else "?") + ("🔒" if p.get("personal") else "")
        for f, p in schema["properties"].items()
    ]
    return ", ".join(shown)


def catalogue_table() -> str:
    """One row per current type: what it means, the record it targets, its data fields."""
    rows = [
        "| type | meaning | record | `expectedversion` | data (`?` optional, 🔒 personal) "
        "| older versions |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for d in DEFINITIONS:
        name = f"{PREFIX}{d.name}.v{d.version}"
        conditional = "honoured" if d.effect is Effect.CHANGES else "refused (422)"
        older = "; ".join(
            f"v{old.version}: "
            + ", ".join(f"`{was}` for `{now}`" for now, was in old.renamed.items())
            for old in d.legacy
        )
        rows.append(
            f"| `{name}` | {d.summary} | {d.effect.value} a {d.record} | {conditional} "
            f"| {_fields(name)} | {older or '—'} |"
        )
    return "\n".join(rows)


def with_table(readme: str) -> str:
    """The README with its catalogue section replaced by the generated table."""
    head, found, rest = readme.partition(START)
    if not found:
        raise ValueError(f"README has no line {START!r}")
    _, found, tail = rest.partition(END)
    if not found:
        raise ValueError(f"README has no line {END!r}")
    return f"{head}{START}\n{catalogue_table()}\n{END}{tail}"


def main() -> int:
    """Rewrite README.md's catalogue table."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{path}: event catalogue table written ({len(DEFINITIONS)} types)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
