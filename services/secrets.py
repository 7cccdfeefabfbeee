"""Installation secrets: checked strength in production, generated once per embedded install."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

MIN_SECRET_BYTES = 32
# Placeholders shipped in manifests, examples and earlier versions: never accepted.
KNOWN_PLACEHOLDERS = frozenset(
    {
        "replace-me",
        "replace_me",
        "replaceme",
        "changeme",
        "change-me",
        "secret",
        "embedded-profile-demo-secret-not-for-production",
        "integration-secret",
    }
)


def decoded_secret(text: str) -> bytes | None:
    """The bytes a secret encodes (hex, base64 or base64url), or None if it is neither."""
    text = text.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        pass
    padded = text + "=" * (-len(text) % 4)
    alphabet = "+/" if "-" not in padded and "_" not in padded else "-_"
    try:
        return base64.b64decode(padded, altchars=alphabet.encode(), validate=True)
    except (binascii.Error, ValueError):
        return None


def check_strong_secret(text: str, name: str) -> None:
    """Refuse a placeholder or fewer than 32 random bytes (given as hex or base64)."""
    if text.strip().lower() in KNOWN_PLACEHOLDERS or "replace" in text.lower():
        raise ValueError(f"{name} is a known placeholder: generate one with `zhulian new-secret`")
    raw = decoded_secret(text)
    if raw is None or len(raw) < MIN_SECRET_BYTES:
        raise ValueError(
            f"{name} must encode at least {MIN_SECRET_BYTES} random bytes as hex or base64"
            " (e.g. `zhulian new-secret`)"
        )
    if len(set(raw)) < 16:  # 32 random bytes have ~28 distinct values; 'aaaa…' has one
        raise ValueError(f"{name} does not look random: generate one with `zhulian new-secret`")
    if text != text.strip():
        raise ValueError(f"{name} has leading or trailing whitespace")


def new_secret() -> str:
    """32 random bytes, base64url without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(MIN_SECRET_BYTES)).decode().rstrip("=")


def installation_secret(path: Path) -> str:
    """The secret kept in `path`, created (owner-only) with a new random value on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as f:
                f.write(new_secret() + "\n")
    return path.read_text().strip()
