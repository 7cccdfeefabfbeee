"""Acting from the pages: a form becomes the same CloudEvent the API takes, through the Ingestor.

One helper builds the event (the caller's own `source`, as the API gives a person's events, a
fresh id, the actor from the caller's credential); the refusal the ingest path gives is shown in
plain words, field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import orjson

from services.auth.principal import Principal
from services.auth.publishing import source_for
from services.errors import Problem
from services.ingest.service import Result
from services.web.plain import plain
from services.web.render import N_
from services.web.render import gettext as _

PREFIX = "cn.zhulian."


@dataclass(frozen=True)
class Field:
    """One input of a form: its name in `data`, an English label (a msgid) and how to read it."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, int, yuan, bool, json, select, household, hidden
    required: bool = True
    options: str | None = None  # a label kind (codes.json) whose codes the select offers
    choices: tuple[tuple[str, str], ...] = ()  # fixed (value, English msgid) pairs
    hint: str | None = None  # an English msgid shown under the input


@dataclass(frozen=True)
class Action:
    """A form that produces one CloudEvent type; `record` says where its region comes from."""

    name: str
    event_type: str
    title: str
    fields: tuple[Field, ...]
    record: str  # need, referral, alert, region (a field), contract
    button: str
    extra: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    done: str = "Recorded."


@dataclass
class Refusal(Exception):
    """What to tell the person who sent the form: a lead sentence and field-by-field reasons."""

    status: int
    lead: str
    detail: str = ""
    fields: dict[str, str] = field(default_factory=dict)


def read_form(action: Action, form: Mapping[str, str]) -> dict[str, Any]:
    """The event's `data` from the form's values; a value that cannot be read is a Refusal."""
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for f in action.fields:
        text = (form.get(f.name) or "").strip()
        if not text:
            if f.required:
                problems[f.name] = _("Fill this in.")
            continue
        try:
            data[f.name] = _value(f, text)
        except ValueError:
            problems[f.name] = _reason_for(f)
    if problems:
        raise Refusal(422, _("Some values need correcting."), fields=problems)
    return data


def _value(f: Field, text: str) -> Any:
    if f.kind == "int":
        return int(text)
    if f.kind == "bool":
        if text not in ("yes", "no"):
            raise ValueError(text)
        return text == "yes"
    if f.kind == "json":
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise ValueError(text) from error
    if f.kind == "household":
        return {"household_key": text}
    return text


def _reason_for(f: Field) -> str:
    if f.kind == "int":
        return _("A whole number, please.")
    if f.kind == "json":
        return _("This is not valid JSON.")
    return _("Choose one of the offered values.")


def cloud_event(action: Action, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """The CloudEvent a department would send for this form, acted by the caller, under the
    caller's own source (the publishing rules check both, as for the API)."""
    return {
        "specversion": "1.0",
        "id": str(uuid4()),
        "source": source_for(principal),
        "type": PREFIX + action.event_type,
        "datacontenttype": "application/json",
        "data": {**data, "actor": principal.actor},
    }


REFUSED = N_("The step was refused.")
_LEADS = {
    400: N_("The form could not be read."),
    404: N_("The record this form acts on was not found."),
    409: N_("The step was refused: it does not fit the rules of the record as it stands."),
    412: N_("Someone changed the record first; reload the page and try again."),
    413: N_("The form is too large for the store."),
    422: N_("Some values need correcting."),
}


def refusal_of(result: Result, action: Action) -> Refusal | None:
    """None when the event was stored (or was a duplicate); else its refusal in plain words."""
    problem = result.problem
    if problem is None:
        return None
    return refusal_from(problem, action)


def refusal_from(problem: Problem, action: Action) -> Refusal:
    """A problem from the ingest path as the page shows it, each reason next to its input."""
    names = {f.name for f in action.fields}
    fields: dict[str, str] = {}
    loose: list[str] = []
    for error in problem.errors:
        where = str(error.get("field", "")).removeprefix("data.").split(".")[0]
        reason = plain(str(error.get("reason", "")))
        if where in names:
            fields[where] = reason
        else:
            loose.append(reason)
    lead = _(_LEADS.get(problem.status, REFUSED))
    detail = "; ".join(loose) if loose else ("" if fields else plain(problem.detail))
    return Refusal(problem.status, lead, detail, fields)
