"""Secrets: production refuses weak ones; the embedded profile makes its own per installation."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.secrets import new_secret
from services.settings import Settings

STRONG = base64.b64encode(os.urandom(32)).decode()


def production(**overrides: str) -> Settings:
    values = {
        "profile": "production",
        "database_url": "postgresql://db/zhulian",
        "household_secret": STRONG,
        "log_signing_key": new_secret(),
        "master_key": new_secret(),
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def test_production_starts_with_32_random_bytes_in_base64_or_hex() -> None:
    assert production().household_secret == STRONG
    assert production(household_secret=os.urandom(32).hex())
    assert production(household_secret=new_secret())


@pytest.mark.parametrize(
    "weak",
    [
        "REPLACE-ME",
        "replace-me-with-a-real-secret-of-at-least-32-bytes!!",
        "embedded-profile-demo-secret-not-for-production",
        "x",
        base64.b64encode(os.urandom(31)).decode(),
        "a" * 64,  # 32 bytes in hex, but not random
        base64.b64encode(b"\x00" * 48).decode(),
        STRONG + "\n",
    ],
)
def test_production_refuses_a_weak_or_placeholder_household_secret(weak: str) -> None:
    with pytest.raises(ValidationError, match="ZHULIAN_HOUSEHOLD_SECRET"):
        production(household_secret=weak)


def test_production_refuses_to_start_without_a_log_signing_key() -> None:
    with pytest.raises(ValidationError, match="ZHULIAN_LOG_SIGNING_KEY"):
        production(log_signing_key="")


def test_production_refuses_to_start_without_a_strong_master_key() -> None:
    with pytest.raises(ValidationError, match="ZHULIAN_MASTER_KEY"):
        production(master_key="")
    with pytest.raises(ValidationError, match="ZHULIAN_MASTER_KEY"):
        production(master_key="REPLACE-ME")
    with pytest.raises(ValidationError, match="ZHULIAN_MASTER_KEY"):
        production(master_key=base64.b64encode(os.urandom(16)).decode())


def test_the_embedded_profile_generates_a_master_key_per_installation(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path)
    again = Settings(data_dir=tmp_path)
    elsewhere = Settings(data_dir=tmp_path / "other")
    assert first.master_key == again.master_key != elsewhere.master_key
    assert (tmp_path / "master.key").stat().st_mode & 0o077 == 0


def test_a_weak_retired_secret_is_refused_too() -> None:
    with pytest.raises(ValidationError, match="RETIRED"):
        production(household_secret_id="2", household_secrets_retired="1=REPLACE-ME")


def test_the_embedded_profile_keeps_one_random_secret_per_installation(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path)
    assert first.household_secret == Settings(data_dir=tmp_path).household_secret
    assert first.household_secret != Settings(data_dir=tmp_path / "b").household_secret
    assert len(base64.urlsafe_b64decode(first.household_secret + "=")) == 32
    assert (tmp_path / "household.secret").stat().st_mode & 0o077 == 0


def test_retired_secrets_are_read_by_key_id() -> None:
    old = new_secret()
    settings = production(household_secret_id="2", household_secrets_retired=f"1={old}")
    assert settings.household_secrets() == {1: old, 2: STRONG}
