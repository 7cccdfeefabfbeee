"""Building the credential authority of a process, and the embedded profile's demo logins."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.auth.authority import Authority
from services.auth.demo_accounts import create_demo_credentials
from services.settings import Settings

log = logging.getLogger(__name__)


def open_authority(
    settings: Settings, demo_provider: Callable[[], str | None] = lambda: None
) -> Authority:
    """The authority; on the embedded demo, the demo credentials and how to sign in (the demo's
    provider account linked to the record `demo_provider()` names)."""
    authority = Authority(settings)
    if settings.profile == "embedded" and settings.demo:
        path = settings.data_dir / "demo-accounts.txt"
        create_demo_credentials(authority, path, demo_provider)
        if path.exists():
            print(f"zhulian demo: sign in at /login with an account of {path}:", flush=True)
            print(path.read_text(), flush=True)
    return authority


def close_authority(authority: Authority) -> None:
    """Release the authority's store."""
    authority.close()
