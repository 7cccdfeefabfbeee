"""Settings of the worker processes (prefix ZHULIAN_), read once in each worker's main()."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WorkerSettings(BaseSettings):
    """Where a worker serves its health and metrics, and the inbox worker's topic and group."""

    model_config = SettingsConfigDict(env_prefix="ZHULIAN_", extra="ignore")

    health_host: str = "0.0.0.0"
    # None: no health server (a bare process); the image and the deploy files set 8000; 0: any.
    health_port: int | None = Field(default=None, ge=0, le=65535)
    inbox_topic: str = "zhulian.inbox"
    inbox_group: str = "zhulian-inbox"
    inbox_partitions: int = Field(default=0, ge=0)  # 0: as many as KAFKA_EVENTS_PARTITIONS
