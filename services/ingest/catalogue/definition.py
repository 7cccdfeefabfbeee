"""How an event type is declared once: its data model, its record, its command, its versions.

From one declaration come the JSON Schema served to departments, the validation of `data`, the
dispatch to the application, the OpenAPI example and the README row.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from domain.households.identity import HouseholdKeys
from domain.ingest.model import EventKey, Outcome
from services.errors import Problem
from services.ingest.catalogue.schema import json_schema

PREFIX = "cn.zhulian."
MAX_REPORTED_ERRORS = 20
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"  # single-line words: no control characters at all

Actor = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120, pattern=LINE_PATTERN),
    Field(
        description="The acting organisation: a department, provider or charity, e.g. "
        "'civil-affairs', 'hrss', 'health'"
    ),
]


@dataclass(frozen=True)
class Context:
    """What the envelope adds to the data: identity, time, household keys, expected version."""

    key: EventKey
    at: datetime  # when it happened, as the client claims (or the arrival time)
    secret: HouseholdKeys  # issues keys from registration numbers, checks given keys
    expected_version: int | None
    recorded_at: datetime | None = None  # when zhulian took it: deadlines are judged on this
    privacy: Any = None  # seals personal fields before the command (services.privacy.sealing)


class Effect(StrEnum):
    """What an event does to the record it targets."""

    CREATES = "creates"
    CHANGES = "changes"
    CREATES_OR_CHANGES = "creates or changes"


class EventData(BaseModel):
    """The `data` of an event type: fields with their constraints and descriptions.

    Every field becomes the command argument of the same name; a value object that knows its
    argument (a household reference, an amount) gives it through `argument(context)`.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    actor: Actor

    renamed: ClassVar[dict[str, str]] = {}
    """Fields whose command argument has another name (field → argument)."""

    def arguments(self, context: Context) -> dict[str, Any]:
        """The command's keyword arguments (the actor excluded)."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            if name == "actor":
                continue
            value = getattr(self, name)
            out[self.renamed.get(name, name)] = _argument(value, context)
        return out


def _argument(value: Any, context: Context) -> Any:
    if isinstance(value, Argument):
        return value.argument(context)
    if isinstance(value, tuple | list):
        return [_argument(v, context) for v in value]
    return value


class Argument:
    """A value object that turns itself into a command argument."""

    def argument(self, context: Context) -> Any:
        """The argument the application method receives."""
        raise NotImplementedError


Command = Callable[..., Outcome]


@dataclass(frozen=True)
class Legacy:
    """An older version of a type still accepted: its `data` differs only by renamed fields."""

    version: int
    renamed: dict[str, str]  # current field → the field's name in that version

    def upcast(self, data: dict[str, Any]) -> dict[str, Any]:
        """The data in the current version's shape (unknown fields are left for the check)."""
        back = {old: new for new, old in self.renamed.items()}
        return {back.get(k, k): v for k, v in data.items()}

    def field_name(self, current: str) -> str:
        """What the older version calls a field (for error messages)."""
        return self.renamed.get(current, current)


@dataclass(frozen=True)
class Definition:
    """One event type as declared: everything else about it is derived."""

    name: str  # e.g. "referral.accepted"; the full type is PREFIX + name + ".v" + version
    version: int
    summary: str
    data: type[EventData]
    record: str
    effect: Effect
    command: str  # the Alliance method
    actor_argument: str = "by"  # the command's parameter for the acting organisation
    example: dict[str, Any] = field(default_factory=dict)
    legacy: tuple[Legacy, ...] = ()

    @property
    def personal(self) -> dict[str, str]:
        """Personal fields (marked in the data model) → the command arguments they become."""
        return {
            name: self.data.renamed.get(name, name)
            for name, info in self.data.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("personal")
        }

    def types(self) -> Iterator[EventType]:
        """The current version and every older one still accepted."""
        yield EventType(self, self.version, None)
        for old in self.legacy:
            yield EventType(self, old.version, old)


REGISTRY: list[Definition] = []
"""Every declared definition, in declaration order (the catalogue's modules fill it)."""

D = TypeVar("D", bound=type[EventData])


def declare(
    name: str,
    *,
    creates: str | None = None,
    changes: str | None = None,
    opens: str | None = None,
    command: str,
    actor: str = "by",
    version: int = 2,
    v1: str | None = None,
    example: dict[str, Any],
) -> Callable[[D], D]:
    """Declare the class below as the `data` of a type; its docstring is the type's summary.

    `creates`, `changes` or `opens` (creates or changes) names the record the type targets;
    `actor` is the command's parameter for the acting organisation; `v1` the name version 1 gave
    the actor field, when version 1 is still accepted.
    """
    (effect, record), *rest = [
        (e, r)
        for e, r in (
            (Effect.CREATES, creates),
            (Effect.CHANGES, changes),
            (Effect.CREATES_OR_CHANGES, opens),
        )
        if r is not None
    ]
    assert not rest, "a type creates, changes or opens its record: one of them"

    def register(data: D) -> D:
        summary = " ".join((data.__doc__ or "").split())
        legacy = (Legacy(1, {"actor": v1}),) if v1 else ()
        REGISTRY.append(
            Definition(
                name, version, summary, data, record, effect, command, actor, example, legacy
            )
        )
        return data

    return register


@dataclass(frozen=True)
class EventType:
    """A published CloudEvents type: one version of a definition."""

    definition: Definition
    version: int
    legacy: Legacy | None

    @property
    def name(self) -> str:
        """The CloudEvents `type`."""
        return PREFIX + self.short_name

    @property
    def short_name(self) -> str:
        """The type without the common prefix, as receipts record it."""
        return f"{self.definition.name}.v{self.version}"

    @property
    def summary(self) -> str:
        """One line for the catalogue."""
        return self.definition.summary

    @property
    def superseded_by(self) -> str | None:
        """The current type when this one is an older version."""
        if self.legacy is None:
            return None
        d = self.definition
        return f"{PREFIX}{d.name}.v{d.version}"

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema `data` must satisfy (generated from the data model)."""
        renamed = self.legacy.renamed if self.legacy else None
        return json_schema(self.name, self.summary, self.definition.data, renamed)

    @property
    def example(self) -> dict[str, Any]:
        """Example `data` in this version's shape."""
        data = self.definition.example
        if self.legacy is None:
            return data
        return {self.legacy.field_name(k): v for k, v in data.items()}

    def check(self, data: dict[str, Any]) -> EventData:
        """Validate `data`; raise a 422 problem naming every bad field and the reason."""
        current = self.legacy.upcast(data) if self.legacy else data
        try:
            return self.definition.data.model_validate(current)
        except ValidationError as error:
            raise self._problem(error) from None

    def _problem(self, error: ValidationError) -> Problem:
        listed = []
        for item in error.errors(include_url=False)[:MAX_REPORTED_ERRORS]:
            path = "data"
            for i, part in enumerate(item["loc"]):
                if isinstance(part, int):
                    path += f"[{part}]"
                else:
                    name = self.legacy.field_name(part) if self.legacy and i == 0 else part
                    path += f".{name}"
            listed.append({"field": path, "reason": _reason(item)})
        first = listed[0]
        return Problem(422, "Invalid event", f"{first['field']}: {first['reason']}", listed)

    def check_expected_version(self, expected: int | None) -> None:
        """Refuse `expectedversion` on a type that creates its record."""
        if expected is not None and self.definition.effect is not Effect.CHANGES:
            raise Problem(
                422,
                "Invalid event",
                f"expectedversion: {self.name} {self.definition.effect.value} a "
                f"{self.definition.record}; only a change to an existing record can be "
                "conditional",
                [
                    {
                        "field": "expectedversion",
                        "reason": f"not applicable: this type {self.definition.effect.value} "
                        f"a {self.definition.record}",
                    }
                ],
            )

    def dispatch(self, app: Any, data: EventData, context: Context) -> Outcome:
        """Run the type's command on the application."""
        d = self.definition
        self.check_expected_version(context.expected_version)
        command: Command = getattr(app, d.command)
        arguments = data.arguments(context)
        if context.privacy is not None:
            arguments = context.privacy.protect(d, app, arguments, context.expected_version)
        arguments[d.actor_argument] = data.actor
        if d.effect is Effect.CHANGES:
            arguments["expected_version"] = context.expected_version
        if context.recorded_at is not None and _takes(type(app), d.command, "recorded_at"):
            arguments["recorded_at"] = context.recorded_at
        return command(at=context.at, key=context.key, **arguments)


_SIGNATURES: dict[tuple[type, str], frozenset[str]] = {}


def _takes(kind: type, method: str, parameter: str) -> bool:
    """Whether an application method takes a parameter (asked once per method)."""
    names = _SIGNATURES.get((kind, method))
    if names is None:
        names = frozenset(inspect.signature(getattr(kind, method)).parameters)
        _SIGNATURES[(kind, method)] = names
    return parameter in names


def _reason(item: Any) -> str:
    message = str(item["msg"])
    if item["type"] == "missing":
        return "is required"
    if item["type"] == "extra_forbidden":
        return f"{item['loc'][-1]!r} is not a field of this event type"
    if message.startswith("Value error, "):
        return message[len("Value error, ") :]
    given = item.get("input")
    if isinstance(given, str | int | float | bool) and not isinstance(given, dict):
        shown = repr(given)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return f"{shown}: {message[0].lower()}{message[1:]}"
    return message
