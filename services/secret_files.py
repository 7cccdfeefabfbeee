"""Secrets from files: NAME_FILE names a file (a mounted secret) whose content becomes NAME.

Docker and Kubernetes mount secrets as files; reading them here keeps every secret out of
compose files, manifests and the process's command line.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

SECRET_NAMES = (
    "ZHULIAN_HOUSEHOLD_SECRET",
    "ZHULIAN_MASTER_KEY",
    "DATABASE_URL",
    "ZHULIAN_DATABASE_URL",
)


class SecretFileError(RuntimeError):
    """A *_FILE setting names a file that cannot be read or is empty."""


def load_secret_files(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Set each NAME from NAME_FILE when the file is given; returns the names set."""
    env = os.environ if environ is None else environ
    loaded = []
    for name in SECRET_NAMES:
        path = env.get(f"{name}_FILE")
        if not path:
            continue
        if env.get(name):
            raise SecretFileError(f"both {name} and {name}_FILE are set: choose one")
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SecretFileError(f"{name}_FILE={path}: {error.strerror or error}") from None
        if not value:
            raise SecretFileError(f"{name}_FILE={path} is empty")
        env[name] = value
        loaded.append(name)
    return loaded
