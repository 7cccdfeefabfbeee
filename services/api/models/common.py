"""Shapes shared by every read endpoint: a page of a list, and a problem."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    """A response model: its fields are the contract; nothing else is sent."""

    model_config = ConfigDict(from_attributes=True)


class Page(Model, Generic[T]):
    """One page of a list, the same shape everywhere."""

    items: list[T]
    total: int = Field(description="How many items match, over every page")
    limit: int = Field(description="Most items on one page")
    offset: int = Field(description="Items skipped before this page")
    next: str | None = Field(description="Link to the next page (path and query), or null")


class FieldError(Model):
    """One field of the request and what is wrong with it."""

    field: str
    reason: str


class Problem(Model):
    """An RFC 9457 problem (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(
        default=None, description="Each field at fault, when the problem is about fields"
    )
