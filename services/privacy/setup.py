"""The key store and the revealer of a process, built from its settings."""

from __future__ import annotations

from typing import Any

from services.privacy.keystore import KeyStore
from services.privacy.wrapping import MasterKeyWrapper


def open_key_store(settings: Any) -> KeyStore:
    """SQLite under the data directory (embedded) or a table in PostgreSQL (production)."""
    wrapper = MasterKeyWrapper.from_settings(
        settings.master_key, settings.master_key_id, settings.retired_master_keys()
    )
    if settings.profile == "embedded":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return KeyStore.sqlite(str(settings.data_dir / "keys.db"), wrapper)
    return KeyStore.postgres(settings.database_url, wrapper)
