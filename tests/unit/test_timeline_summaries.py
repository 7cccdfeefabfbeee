"""The household timeline's one-line summaries read only fields their events have."""

from __future__ import annotations

import string

import pytest

from projections.household_file.summaries import _TEMPLATES


@pytest.mark.parametrize(("kind", "template"), list(_TEMPLATES.items()), ids=lambda k: str(k))
def test_every_summary_names_only_fields_of_its_event(kind: type, template: str) -> None:
    fields = set()
    for klass in kind.__mro__:
        fields |= set(getattr(klass, "__annotations__", {}))
    named = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    assert named <= fields, named - fields
