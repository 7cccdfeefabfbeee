"""Shapes of the write answer, the event catalogue and the health report."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from services.api.models.common import Model, Problem


class EventResult(Model):
    """What happened to one submitted event (alone, or as an item of a batch)."""

    id: str | None = Field(description="The event's `id`, when it had one")
    source: str | None = Field(description="The event's `source`, when it had one")
    status: int = Field(description="201 stored, 200 duplicate, else the problem's status")
    result: Literal["stored", "duplicate", "rejected"] | None = None
    record: str | None = Field(default=None, description="The kind of record it created/changed")
    record_id: str | None = None
    version: int | None = Field(default=None, description="The record's version after it")
    problem: Problem | None = Field(default=None, description="Why it was refused")


class BatchResults(Model):
    """One result per item of a batch, in order, and the counts."""

    results: list[EventResult]
    stored: int
    duplicate: int
    rejected: int


class EventTypeEntry(Model):
    """One published CloudEvents type of the catalogue."""

    model_config = ConfigDict(populate_by_name=True)

    type: str
    version: int
    summary: str
    record: str
    effect: Literal["creates", "changes", "creates or changes"]
    conditional: bool = Field(description="Whether `expectedversion` may be given")
    superseded_by: str | None
    schema_url: str = Field(alias="schema", description="Where its data's JSON Schema is served")


class ViewHealth(Model):
    """One view's positions, lag and, when it stopped, where and why."""

    positions: dict[str, int]
    behind: int
    lag_seconds: float
    stopped: dict[str, Any] | None


class Health(Model):
    """The service's health: ready or not, the checks, each view (503 when not ready)."""

    status: Literal["ok", "degraded"]
    profile: str
    checks: dict[str, Any] = Field(description="Each part checked: broker, database, index …")
    divisions: dict[str, Any] | None = Field(
        default=None,
        description="Edition of the national division list region codes are checked against",
    )
    log_head: int | None = None
    views: dict[str, ViewHealth] | None = None
