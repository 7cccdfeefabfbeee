"""The access log as auditors read it."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from services.api.models.common import Model, Page


class Access(Model):
    """One read of a household's file, timeline, money or history, or one export."""

    id: int = Field(description="The order rows were written in")
    at: datetime = Field(description="When it was read")
    subject: str = Field(description="Who read: the credential's subject, or 'anonymous'")
    role: str | None = Field(description="The reader's role")
    household: str | None = Field(description="The household read (record id), if one")
    listing: str | None = Field(description="The list read or exported, or the view replayed")
    filter: str | None = Field(description="The list's query as asked (filters, sort, page)")
    endpoint: str = Field(description="The route, e.g. 'GET /v1/households/{household_id}'")
    path: str = Field(description="The path as asked")
    purpose: str | None = Field(description="The purpose the reader stated, if any")
    rows: int | None = Field(description="How many rows an export held")


class AccessPage(Page[Access]):
    """A page of the access log, newest first."""
