"""The event catalogue: one declaration per type; all that is published is derived and pinned."""

from __future__ import annotations

import inspect
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from domain.alliance import Alliance
from domain.ingest.model import EventKey
from services.errors import Problem
from services.ingest.catalogue import CATALOGUE, DEFINITIONS, Context, Effect
from services.ingest.catalogue.docs import END, START, catalogue_table, with_table

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "snapshots" / "event-type-schemas.json"
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
CURRENT = [t for t in CATALOGUE.values() if t.legacy is None]


def test_the_readme_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert with_table(readme) == readme, "run: python -m services.ingest.catalogue.docs"
    assert catalogue_table().count("\n| `cn.zhulian.") == len(DEFINITIONS)


def test_every_published_schema_equals_its_pinned_snapshot() -> None:
    published = {name: t.schema for name, t in sorted(CATALOGUE.items())}
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(published, indent=1, ensure_ascii=False) + "\n")
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = sorted(
        n for n in published.keys() | pinned.keys() if published.get(n) != pinned.get(n)
    )
    assert not changed, (
        f"the public contract changed for {changed}; publish a new version of the type, or "
        "if the change is intended re-pin with UPDATE_SNAPSHOTS=1"
    )


@pytest.mark.parametrize("event_type", list(CATALOGUE.values()), ids=lambda t: t.name)
def test_every_schema_is_valid_json_schema_and_its_example_satisfies_it(event_type) -> None:
    Draft202012Validator.check_schema(event_type.schema)
    validator = Draft202012Validator(event_type.schema, format_checker=FormatChecker())
    assert list(validator.iter_errors(event_type.example)) == []
    event_type.check(event_type.example)


@pytest.mark.parametrize("event_type", CURRENT, ids=lambda t: t.name)
def test_every_type_names_the_acting_organisation_actor(event_type) -> None:
    assert "actor" in event_type.schema["required"]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.name)
def test_every_definition_dispatches_to_a_command_that_takes_its_arguments(definition) -> None:
    parameters = inspect.signature(getattr(Alliance, definition.command)).parameters
    data = definition.data.model_validate(definition.example)
    context = Context(EventKey("/330106/test", "e-1", definition.name, "0"), NOW, "secret", None)
    given = set(data.arguments(context)) | {definition.actor_argument, "at", "key"}
    if definition.effect is Effect.CHANGES:
        given.add("expected_version")
    assert given <= set(parameters), given - set(parameters)


@pytest.mark.parametrize("event_type", list(CATALOGUE.values()), ids=lambda t: t.name)
def test_expectedversion_is_honoured_only_where_a_record_is_changed(event_type) -> None:
    if event_type.definition.effect is Effect.CHANGES:
        event_type.check_expected_version(3)
        return
    with pytest.raises(Problem) as refused:
        event_type.check_expected_version(3)
    assert refused.value.status == 422 and refused.value.errors[0]["field"] == "expectedversion"


def test_an_older_version_is_upcast_and_its_errors_name_the_field_as_sent() -> None:
    v1 = CATALOGUE["cn.zhulian.referral.accepted.v1"]
    v2 = CATALOGUE["cn.zhulian.referral.accepted.v2"]
    referral = "5b1c0a52-61a9-4c1e-9f7e-0d3e8c2a9b41"
    upcast = v1.check({"referral_id": referral, "department": "health"})
    assert upcast == v2.check({"referral_id": referral, "actor": "health"})
    with pytest.raises(Problem) as refused:
        v1.check({"referral_id": "5b1c0a52-61a9-4c1e-9f7e-0d3e8c2a9b41", "department": ""})
    assert refused.value.errors[0]["field"] == "data.department"
    assert v1.superseded_by == v2.name and v2.superseded_by is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("civil\x00affairs", "pattern"),
        ("civil-affairs\n", "pattern"),
        ("x" * 121, "at most 120"),
    ],
)
def test_an_actor_the_views_could_not_hold_is_refused(value: str, reason: str) -> None:
    event_type = CATALOGUE["cn.zhulian.referral.accepted.v2"]
    with pytest.raises(Problem) as refused:
        event_type.check({"referral_id": "5b1c0a52-61a9-4c1e-9f7e-0d3e8c2a9b41", "actor": value})
    assert refused.value.errors[0]["field"] == "data.actor"
    assert reason in refused.value.errors[0]["reason"]


def test_numbers_are_not_taken_from_booleans_or_fractions() -> None:
    event_type = CATALOGUE["cn.zhulian.contract.delivery_recorded.v2"]
    example = event_type.example
    for bad in (True, 1.5, "1"):
        with pytest.raises(Problem) as refused:
            event_type.check({**example, "person_times": bad})
        assert refused.value.errors[0]["field"] == "data.person_times"
