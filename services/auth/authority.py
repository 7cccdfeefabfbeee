"""The one object that turns credentials into principals, and manages the credentials.

Every method blocks (argon2, the credential store): the middleware and the routes call them in
a thread.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from services.auth.limits import Buckets
from services.auth.oidc import OidcIssuer
from services.auth.passwords import Passwords, new_secret
from services.auth.principal import Principal, Role
from services.auth.store import CredentialStore
from services.auth.tokens import TokenError, TokenIssuer, looks_like_jwt, parse_keys
from services.errors import is_part_failure
from services.settings import Settings

CLIENT_CACHE_SECONDS = 2.0  # how long another process may still accept a revoked client
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class CredentialRefused(Exception):
    """A name, secret or request the credential store refuses (400/409 at the edge)."""


@dataclass(frozen=True)
class Session:
    """A signed-in person: the principal and the CSRF token of the session."""

    principal: Principal
    csrf: str


def session_hash(session_id: str) -> str:
    """Sessions are stored by hash: a copy of the table opens no session."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def client_principal(row: dict[str, Any]) -> Principal:
    """The principal a department's (or provider's) system acts as."""
    return Principal(
        subject=row["client_id"],
        kind="client",
        role=Role(row["role"]),
        actor=row.get("department") or row.get("provider") or row["client_id"],
        region=row.get("region") or "",
        department=row.get("department"),
        provider=row.get("provider"),
        provider_record=row.get("provider_record"),
        sources=tuple(row.get("sources") or ()),
        event_types=tuple(row.get("event_types") or ()),
    )


def account_principal(row: dict[str, Any]) -> Principal:
    """The principal a person acts as: a provider's people as the provider, a department's
    people as the department (the log names the department; the access log and the session
    name the person), anyone else as themselves."""
    role = Role(row["role"])
    return Principal(
        subject=row.get("name") or row["account"],
        kind="account",
        role=role,
        actor=(row.get("provider") if role is Role.PROVIDER else row.get("department"))
        or row.get("name")
        or row["account"],
        region=row.get("region") or "",
        department=row.get("department"),
        provider=row.get("provider"),
        provider_record=row.get("provider_record"),
    )


class Authority:
    """Credentials in, principals out; creation, rotation and revocation recorded."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if not settings.token_signing_keys:  # the API only: workers and the CLI need none
            raise ValueError(
                "ZHULIAN_TOKEN_SIGNING_KEYS must be set in production: 'kid=key,…' signs the"
                " access tokens (`zhulian new-secret` prints a fresh key)"
            )
        self.store = (
            CredentialStore(sqlite_path=settings.data_dir / "credentials.db")
            if settings.profile == "embedded"
            else CredentialStore(database_url=settings.database_url)
        )
        self.passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
        self.tokens = TokenIssuer(parse_keys(settings.token_signing_keys), settings.token_lifetime)
        self.oidc = (
            OidcIssuer(
                settings.oidc_issuer,
                settings.oidc_jwks,
                settings.oidc_audience,
                role_claim=settings.oidc_role_claim,
                region_claim=settings.oidc_region_claim,
                department_claim=settings.oidc_department_claim,
            )
            if settings.oidc_issuer
            else None
        )
        self.writes = Buckets(settings.write_burst, settings.write_rate)
        refill = 1 / settings.login_refill_seconds
        self.logins_by_name = Buckets(settings.login_burst, refill)
        self.logins_by_address = Buckets(settings.login_burst * 3, refill * 3)
        self._clients: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._lock = threading.Lock()

    # resolving credentials
    def bearer(self, token: str) -> Principal:
        """The principal of a bearer token (ours or the external issuer's), or TokenError."""
        if not looks_like_jwt(token):
            raise TokenError("not a JSON Web Token")
        if self.oidc is not None and self.oidc.accepts(token):
            return self.oidc.principal(token)
        claims = self.tokens.verify(token)
        row = self._client(claims["sub"])
        if row is None or row["status"] != "active" or row["version"] != claims["ver"]:
            raise TokenError("the client was revoked or its secret rotated")
        return client_principal(row)

    def _client(self, client_id: str) -> dict[str, Any] | None:
        now = time.monotonic()
        with self._lock:
            cached = self._clients.get(client_id)
        if cached is not None and now - cached[0] < CLIENT_CACHE_SECONDS:
            return cached[1]
        try:
            row = self.store.client(client_id)
        except Exception as error:
            # The store is down: nobody can revoke or rotate meanwhile, so the row seen at most
            # CLIENT_CACHE_SECONDS before the outage is still the truth; without one, 503.
            if cached is None or not (is_part_failure(error) or isinstance(error, sqlite3.Error)):
                raise
            return cached[1]
        with self._lock:
            self._clients[client_id] = (now, row)
        return row

    def session(self, session_id: str) -> Session | None:
        """The live session of a cookie value, or None (expired, revoked, rotated)."""
        row = self.store.session(session_hash(session_id))
        if row is None:
            return None
        expired = datetime.fromisoformat(row["expires_at"]) <= datetime.now(UTC)
        if expired or row["status"] != "active" or row["version"] != row["session_version"]:
            return None
        return Session(account_principal(row), row["csrf"])

    # people
    def login(self, name: str, password: str, address: str) -> tuple[str, Session] | None:
        """A new session for a correct name and password; failures are recorded."""
        row = self.store.account(name) if NAME.match(name) else None
        good = self.passwords.verify(row["password_hash"] if row else None, password)
        if not good or row is None or row["status"] != "active":
            self.store.record("login_failed", "account", name[:64], address)
            return None
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + timedelta(seconds=self.settings.session_lifetime)
        self.store.add_session(
            session_hash(session_id), name, csrf, row["version"], expires.isoformat()
        )
        self.store.record("login_ok", "account", name, address)
        return session_id, Session(account_principal(row), csrf)

    def logout(self, session_id: str) -> None:
        """End a session."""
        self.store.drop_session(session_hash(session_id))

    # systems
    def token(self, client_id: str, secret: str) -> tuple[str, int] | None:
        """An access token for a client's correct secret, or None (RFC 6749 invalid_client)."""
        row = self.store.client(client_id) if NAME.match(client_id) else None
        good = self.passwords.verify(row["secret_hash"] if row else None, secret)
        if not good or row is None or row["status"] != "active":
            self.store.record("login_failed", "client", client_id[:64], "token endpoint")
            return None
        return self.tokens.issue(row)

    # administration
    def create_client(self, by: str, **fields: Any) -> str:
        """Register a client; its secret, returned once, is stored only as a hash."""
        client_id = fields["client_id"]
        _check_new(client_id, fields)
        if self.store.client(client_id) is not None:
            raise CredentialRefused(f"client {client_id} exists")
        secret = new_secret()
        self.store.add_client({**fields, "secret_hash": self.passwords.hash(secret)}, by)
        return secret

    def create_account(self, by: str, **fields: Any) -> str:
        """Create an account; its first password, returned once, is stored only as a hash."""
        name = fields["name"]
        _check_new(name, fields)
        if self.store.account(name) is not None:
            raise CredentialRefused(f"account {name} exists")
        password = fields.pop("password", None) or new_secret()
        self.store.add_account({**fields, "password_hash": self.passwords.hash(password)}, by)
        return str(password)

    def rotate(self, kind: str, key: str, by: str) -> str | None:
        """A new secret (returned once) for an active credential, or None if there is none."""
        secret = new_secret()
        if not self.store.rotate(kind, key, self.passwords.hash(secret), by):
            return None
        self._forget(key)
        return secret

    def revoke(self, kind: str, key: str, by: str) -> bool:
        """Revoke a credential; its tokens and sessions fail from the next request."""
        done = self.store.revoke(kind, key, by)
        self._forget(key)
        return done

    def _forget(self, client_id: str) -> None:
        with self._lock:
            self._clients.pop(client_id, None)

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def _check_new(name: str, fields: dict[str, Any]) -> None:
    if not NAME.match(name):
        raise CredentialRefused("a name is 1-64 letters, digits, '.', '_', '@' or '-'")
    try:
        role = Role(fields.get("role", ""))
    except ValueError:
        raise CredentialRefused(f"role must be one of {', '.join(Role)}") from None
    region = fields.get("region") or ""
    if region and (not region.isdigit() or len(region) > 12):
        raise CredentialRefused("region must be a division-code prefix (digits)")
    if role is Role.PROVIDER and not fields.get("provider"):
        raise CredentialRefused("a provider's credential names its provider")
    record = fields.get("provider_record")
    if record is not None and not _is_uuid(str(record)):
        raise CredentialRefused("provider_record is the provider's record id (a UUID)")
    if record is not None and role is not Role.PROVIDER:
        raise CredentialRefused("only a provider's credential names a provider record")
    if role is Role.PUBLISHER and not fields.get("sources") and "client_id" in fields:
        raise CredentialRefused("a publisher client names its source prefixes")


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
