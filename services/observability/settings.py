"""Operational settings shared by the API and the workers (prefix ZHULIAN_)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.observability.readiness import Bounds


class OperationsSettings(BaseSettings):
    """Logging and the readiness bounds, read once at start-up."""

    model_config = SettingsConfigDict(env_prefix="ZHULIAN_", extra="ignore")

    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Ready only while the index is at most this many acknowledged records behind the log…
    ready_max_index_lag: int = Field(default=1000, ge=0)
    # …and no view's oldest unapplied event is older than this.
    ready_max_view_lag_seconds: float = Field(default=60.0, ge=0)

    def bounds(self) -> Bounds:
        """The readiness bounds."""
        return Bounds(self.ready_max_index_lag, self.ready_max_view_lag_seconds)
