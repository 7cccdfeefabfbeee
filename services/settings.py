"""Settings, read once at start-up from the environment (prefix ZHULIAN_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.secrets import check_strong_secret, installation_secret


class Settings(BaseSettings):
    """One place for every setting of the API process."""

    model_config = SettingsConfigDict(env_prefix="ZHULIAN_", extra="ignore")

    profile: Literal["embedded", "production"] = "embedded"
    data_dir: Path = Path("var")
    household_secret: str = ""  # production: >= 32 random bytes as hex or base64
    household_secret_id: int = Field(default=1, ge=1, le=999)  # the id new keys carry
    # Secrets of earlier ids, still checking the keys they issued: "1=<secret>,2=<secret>"
    household_secrets_retired: str = ""
    # Wraps the households' data keys (personal data); embedded: generated in var/.
    master_key: str = ""  # production: >= 32 random bytes as hex or base64
    master_key_id: str = Field(default="1", pattern=r"^[A-Za-z0-9_-]{1,32}$")
    master_keys_retired: str = ""  # earlier master keys, still unwrapping: "1=<key>,…"
    log_signing_key: str = ""  # Ed25519 seed (hex/base64) or PEM; embedded: generated in var/
    tree_head_interval: float = 60.0  # seconds between signed tree heads (0: only on demand)
    demo: bool | None = None  # default: on for embedded, off for production
    views_database: str = ""  # embedded: a SQLite path (default data_dir/views.db)
    database_url: str = Field(
        default="", validation_alias=AliasChoices("ZHULIAN_DATABASE_URL", "DATABASE_URL")
    )  # production: the PostgreSQL of the event index and the views
    # production: "kafka" (the log of record), or "postgres" = eventsourcing's own PostgreSQL
    # recorder (POSTGRES_* variables), kept only as the benchmarks' same-run baseline
    event_store: Literal["kafka", "postgres"] = "kafka"
    runner_interval: float = 0.25
    runner_min_gap: float = Field(default=0.0, ge=0)  # seconds between catch-ups, at least
    # embedded `zhulian serve`: views in a supervised child process ("auto"), or in this one
    view_worker: Literal["auto", "process", "inline"] = "auto"
    run_projections: bool = True  # production may leave views to separate projector workers
    run_clock: bool = True  # record deadline breaches in this process (any number may)
    clock_interval: float = 30.0  # seconds between the clock's sweeps
    write_workers: int = Field(default=16, ge=1)  # commands run at once, off the event loop
    write_queue: int = Field(default=256, ge=0)  # commands waiting beyond those; then 503
    # Request limits (services/api/limits.py): refused with 413 / 422 naming the setting.
    # One event may be a department's whole list (≤ 100,000 rows, about 8 MB).
    max_body_bytes: int = Field(default=16_777_216, ge=1024)
    max_batch_body_bytes: int = Field(default=33_554_432, ge=1024)
    max_json_depth: int = Field(default=32, ge=4)
    max_array_items: int = Field(default=100_000, ge=1)
    max_batch_items: int = Field(default=10_000, ge=1)
    max_string_chars: int = Field(default=8192, ge=64)
    # Origins whose pages may call the API from a browser (CORS); none by default.
    cors_origins: list[str] = []
    # Access (services/auth): token signing keys "kid=key,…" (current first; embedded: var/)
    token_signing_keys: str = ""
    token_lifetime: int = Field(default=900, ge=60, le=3600)  # seconds an access token lives
    session_lifetime: int = Field(default=43_200, ge=300)  # seconds a login session lives
    argon2_time_cost: int = Field(default=3, ge=1)  # RFC 9106's second recommended option
    argon2_memory_kib: int = Field(default=65_536, ge=32)
    oidc_issuer: str = ""  # an external OpenID Connect issuer whose tokens are accepted
    oidc_jwks: str = ""  # its JWKS: a file path or an https URL
    oidc_audience: str = ""
    oidc_role_claim: str = "zhulian_role"
    oidc_region_claim: str = "zhulian_region"
    oidc_department_claim: str = "zhulian_department"
    write_rate: float = Field(default=50.0, gt=0)  # writes per second per principal (refill)
    write_burst: int = Field(default=500, ge=1)  # writes a principal may make at once
    login_burst: int = Field(default=10, ge=1)  # login attempts per name and per address
    login_refill_seconds: float = Field(default=30.0, gt=0)  # one more attempt every …

    @model_validator(mode="after")
    def _defaults_by_profile(self) -> Settings:
        if self.profile == "embedded":
            self.household_secret = self.household_secret or installation_secret(
                self.data_dir / "household.secret"
            )
            self.log_signing_key = self.log_signing_key or installation_secret(
                self.data_dir / "log-signing.key"
            )
            self.master_key = self.master_key or installation_secret(self.data_dir / "master.key")
            self.token_signing_keys = self.token_signing_keys or (
                "embedded=" + installation_secret(self.data_dir / "token-signing.key")
            )
            if self.demo is None:
                self.demo = True
        else:
            if not self.household_secret:
                raise ValueError(
                    "ZHULIAN_HOUSEHOLD_SECRET must be set in production:"
                    " it keys the household pseudonyms"
                )
            check_strong_secret(self.household_secret, "ZHULIAN_HOUSEHOLD_SECRET")
            for _, retired in self.retired_secrets().items():
                check_strong_secret(retired, "ZHULIAN_HOUSEHOLD_SECRETS_RETIRED")
            if not self.master_key:
                raise ValueError(
                    "ZHULIAN_MASTER_KEY must be set in production: it wraps the households'"
                    " data keys (`zhulian new-secret` prints a fresh one)"
                )
            check_strong_secret(self.master_key, "ZHULIAN_MASTER_KEY")
            if not self.log_signing_key:
                raise ValueError(
                    "ZHULIAN_LOG_SIGNING_KEY must be set in production: it signs the tree heads"
                    " (`zhulian new-secret` prints a fresh one)"
                )
            if not self.database_url:
                raise ValueError("DATABASE_URL must name the PostgreSQL of the production profile")
            self.demo = bool(self.demo)
        return self

    def retired_secrets(self) -> dict[int, str]:
        """Household secrets of earlier ids, by id."""
        retired: dict[int, str] = {}
        for part in filter(None, (p.strip() for p in self.household_secrets_retired.split(","))):
            key_id, sep, secret = part.partition("=")
            if not sep or not key_id.isdigit() or int(key_id) == self.household_secret_id:
                raise ValueError(
                    "ZHULIAN_HOUSEHOLD_SECRETS_RETIRED must be 'id=secret,…' with ids other"
                    " than the current ZHULIAN_HOUSEHOLD_SECRET_ID"
                )
            retired[int(key_id)] = secret
        return retired

    def retired_master_keys(self) -> dict[str, str]:
        """Master keys of earlier ids, by id (they unwrap until `zhulian rewrap-keys`)."""
        retired: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in self.master_keys_retired.split(","))):
            key_id, sep, key = part.partition("=")
            if not sep or not key_id or key_id == self.master_key_id:
                raise ValueError(
                    "ZHULIAN_MASTER_KEYS_RETIRED must be 'id=key,…' with ids other than the"
                    " current ZHULIAN_MASTER_KEY_ID"
                )
            retired[key_id] = key
        return retired

    def household_secrets(self) -> dict[int, str]:
        """Every household secret by key id (the current one included)."""
        return {**self.retired_secrets(), self.household_secret_id: self.household_secret}

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing environment that selects the event store for this profile."""
        if self.profile == "embedded":
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / "events.db"),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        if self.event_store == "postgres":
            return {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
        return {"PERSISTENCE_MODULE": "services.store.kafka"}

    def views_path(self) -> str:
        """Where the embedded profile keeps its views."""
        return self.views_database or str(self.data_dir / "views.db")
