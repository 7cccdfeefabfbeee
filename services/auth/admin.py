"""The administrators' API: clients and accounts (secrets shown once), and the credential events."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from services.auth.authority import Authority, CredentialRefused
from services.auth.principal import Role, principal_of
from services.errors import Problem

router = APIRouter(prefix="/v1/admin", tags=["access"])
HIDDEN = ("secret_hash", "password_hash")


class NewClient(BaseModel):
    """A department's (or provider's) system."""

    client_id: str = Field(max_length=64)
    role: Role = Role.PUBLISHER
    department: str | None = Field(default=None, max_length=64)
    provider: str | None = Field(default=None, max_length=64)
    provider_record: UUID | None = Field(
        default=None,
        description="A provider's credential: its provider's record id (contracts and"
        " deliveries name the provider by it)",
    )
    region: str = Field(default="", max_length=12)
    sources: list[str] = Field(default_factory=list, max_length=50)
    event_types: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Types it may publish: exact names, `prefix.*` patterns, or `*` for all;"
        " none by default (deny by default)",
    )


class NewAccount(BaseModel):
    """A person."""

    name: str = Field(max_length=64)
    role: Role
    region: str = Field(default="", max_length=12)
    department: str | None = Field(default=None, max_length=64)
    provider: str | None = Field(default=None, max_length=64)
    provider_record: UUID | None = Field(
        default=None,
        description="A provider's credential: its provider's record id (contracts and"
        " deliveries name the provider by it)",
    )


def _authority(request: Request) -> Authority:
    authority: Authority = request.app.state.auth
    return authority


def _by(request: Request) -> str:
    principal = principal_of(request)
    return principal.subject if principal is not None else "?"


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in row.items() if k not in HIDDEN}


async def _create(request: Request, method: Any, fields: dict[str, Any]) -> str:
    try:
        secret: str = await anyio.to_thread.run_sync(lambda: method(_by(request), **fields))
    except CredentialRefused as refused:
        raise Problem(409 if "exists" in str(refused) else 422, "Refused", str(refused)) from None
    return secret


@router.get("/clients", summary="Every client (no secrets)")
async def clients(request: Request) -> list[dict[str, Any]]:
    """Clients, oldest first."""
    rows = await anyio.to_thread.run_sync(_authority(request).store.clients)
    return [_public(r) for r in rows]


@router.post("/clients", status_code=201, summary="Register a client; its secret is shown once")
async def create_client(new: NewClient, request: Request) -> dict[str, Any]:
    """The client id and its secret (stored only as an argon2id hash)."""
    secret = await _create(request, _authority(request).create_client, new.model_dump(mode="json"))
    return {"client_id": new.client_id, "client_secret": secret}


@router.get("/accounts", summary="Every account (no passwords)")
async def accounts(request: Request) -> list[dict[str, Any]]:
    """Accounts, oldest first."""
    rows = await anyio.to_thread.run_sync(_authority(request).store.accounts)
    return [_public(r) for r in rows]


@router.post("/accounts", status_code=201, summary="Create an account; its password is shown once")
async def create_account(new: NewAccount, request: Request) -> dict[str, Any]:
    """The account name and its first password (stored only as an argon2id hash)."""
    fields = new.model_dump(mode="json")
    password = await _create(request, _authority(request).create_account, fields)
    return {"name": new.name, "password": password}


async def _rotate(request: Request, kind: str, key: str) -> dict[str, Any]:
    secret = await anyio.to_thread.run_sync(_authority(request).rotate, kind, key, _by(request))
    if secret is None:
        raise Problem(404, "Not found", f"no active {kind} {key}")
    return {kind: key, "secret": secret}


async def _revoke(request: Request, kind: str, key: str) -> dict[str, Any]:
    done = await anyio.to_thread.run_sync(_authority(request).revoke, kind, key, _by(request))
    if not done:
        raise Problem(404, "Not found", f"no active {kind} {key}")
    return {kind: key, "status": "revoked"}


@router.post("/clients/{client_id}/rotate", summary="A new secret; the old one stops at once")
async def rotate_client(client_id: str, request: Request) -> dict[str, Any]:
    """The new secret, shown once; tokens issued before stop working."""
    return await _rotate(request, "client", client_id)


@router.post("/clients/{client_id}/revoke", summary="Revoke a client; its tokens fail at once")
async def revoke_client(client_id: str, request: Request) -> dict[str, Any]:
    """Revoked for good."""
    return await _revoke(request, "client", client_id)


@router.post("/accounts/{name}/rotate", summary="A new password; sessions end")
async def rotate_account(name: str, request: Request) -> dict[str, Any]:
    """The new password, shown once."""
    return await _rotate(request, "account", name)


@router.post("/accounts/{name}/revoke", summary="Revoke an account; its sessions end")
async def revoke_account(name: str, request: Request) -> dict[str, Any]:
    """Revoked for good."""
    return await _revoke(request, "account", name)


@router.get("/credential-events", summary="Who created, rotated, revoked or signed in, and when")
async def credential_events(
    request: Request,
    credential: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Newest first."""
    store = _authority(request).store
    return await anyio.to_thread.run_sync(lambda: store.credential_events(limit, credential))
