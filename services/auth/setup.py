"""Building the credential authority of a process, and the embedded profile's demo logins."""

from __future__ import annotations

import logging

from services.auth.authority import Authority
from services.auth.demo_accounts import create_demo_credentials
from services.settings import Settings

log = logging.getLogger(__name__)


def open_authority(settings: Settings) -> Authority:
    """The authority; on the embedded demo, the demo credentials and how to sign in."""
    authority = Authority(settings)
    if settings.profile == "embedded" and settings.demo:
        path = settings.data_dir / "demo-accounts.txt"
        create_demo_credentials(authority, path)
        if path.exists():
            print(f"zhulian demo: sign in at /login with an account of {path}:", flush=True)
            print(path.read_text(), flush=True)
    return authority


def close_authority(authority: Authority) -> None:
    """Release the authority's store."""
    authority.close()
