"""Settings, read once at start-up from the environment (prefix ZHULIAN_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDED_SECRET = "embedded-profile-demo-secret-not-for-production"


class Settings(BaseSettings):
    """One place for every setting of the API process."""

    model_config = SettingsConfigDict(env_prefix="ZHULIAN_", extra="ignore")

    profile: Literal["embedded", "production"] = "embedded"
    data_dir: Path = Path("var")
    household_secret: str = ""
    demo: bool | None = None  # default: on for embedded, off for production
    views_database: str = ""  # embedded: a SQLite path (default data_dir/views.db)
    database_url: str = Field(
        default="", validation_alias=AliasChoices("ZHULIAN_DATABASE_URL", "DATABASE_URL")
    )  # production: the PostgreSQL of the event index and the views
    runner_interval: float = 0.25
    run_projections: bool = True  # production may leave views to separate projector workers
    run_clock: bool = True  # record deadline breaches in this process (any number may)
    clock_interval: float = 30.0  # seconds between the clock's sweeps
    write_workers: int = Field(default=16, ge=1)  # commands run at once, off the event loop
    write_queue: int = Field(default=256, ge=0)  # commands waiting beyond those; then 503
    # Request limits (services/api/limits.py): refused with 413 / 422 naming the setting.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_batch_body_bytes: int = Field(default=33_554_432, ge=1024)
    max_json_depth: int = Field(default=32, ge=4)
    max_array_items: int = Field(default=256, ge=1)
    max_batch_items: int = Field(default=10_000, ge=1)
    max_string_chars: int = Field(default=8192, ge=64)
    # Origins whose pages may call the API from a browser (CORS); none by default.
    cors_origins: list[str] = []

    @model_validator(mode="after")
    def _defaults_by_profile(self) -> Settings:
        if self.profile == "embedded":
            self.household_secret = self.household_secret or EMBEDDED_SECRET
            if self.demo is None:
                self.demo = True
        else:
            if not self.household_secret:
                raise ValueError(
                    "ZHULIAN_HOUSEHOLD_SECRET must be set in production:"
                    " it keys the household pseudonyms"
                )
            if not self.database_url:
                raise ValueError("DATABASE_URL must name the PostgreSQL of the production profile")
            self.demo = bool(self.demo)
        return self

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing environment that selects the event store for this profile."""
        if self.profile == "embedded":
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / "events.db"),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        return {"PERSISTENCE_MODULE": "services.store.kafka"}

    def views_path(self) -> str:
        """Where the embedded profile keeps its views."""
        return self.views_database or str(self.data_dir / "views.db")
