"""Auditors' proofs: signed tree heads, inclusion and consistency proofs, a full verification.

Everything an auditor needs to check one household's events without seeing anyone else's: a
head signed with the installation's Ed25519 key, and for one event the bytes of its leaf and
the path to the head's root (RFC 9162 §2.1.3); between two heads, the consistency path (§2.1.4).
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

import psycopg
from fastapi import Path, Query
from psycopg_pool import PoolTimeout

from services.api.deps import ContainerDep
from services.api.models import transparency as m
from services.api.routers.reading import NOT_FOUND, read_router
from services.errors import Problem
from services.transparency.log import InclusionProof
from services.transparency.verify import verify_store

router = read_router("transparency", prefix="/v1/transparency")
T = TypeVar("T")
LogNumber = Annotated[int, Path(ge=0, le=2**31 - 1, description="a Kafka partition; 0 embedded")]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _guarded(work: Callable[[], T]) -> T:
    """Unknown positions are 404; a tree store that cannot answer is 503 (with Retry-After)."""
    try:
        return work()
    except LookupError as e:
        raise Problem(404, "Not found", str(e)) from None
    except (sqlite3.OperationalError, psycopg.OperationalError, PoolTimeout) as e:
        raise Problem(503, "Store unavailable", f"the tree store cannot answer now: {e}") from None


@router.get("/key", summary="The public key that signs tree heads", response_model=m.SigningKey)
def signing_key(container: ContainerDep) -> dict[str, str]:
    """Ed25519 public key (PEM) and its key id (SHA-256 of the DER SubjectPublicKeyInfo)."""
    signer = container.transparency.signer
    return {"algorithm": "Ed25519", "key_id": signer.key_id, "public_key": signer.public_key_pem()}


@router.get(
    "/heads", summary="The newest signed tree head of every log", response_model=m.TreeHeads
)
def latest_heads(container: ContainerDep) -> dict[str, Any]:
    """One head per log (a Kafka partition; the whole log on the embedded profile)."""
    return {"heads": [h.as_json() for h in _guarded(container.transparency.latest_heads)]}


@router.post(
    "/heads",
    status_code=201,
    summary="Sign a tree head of every log now",
    response_model=m.TreeHeads,
)
def publish_heads(container: ContainerDep) -> dict[str, Any]:
    """Take every committed event into its tree, then sign and keep a head per log."""
    return {"heads": [h.as_json() for h in _guarded(container.transparency.publish)]}


@router.get(
    "/logs/{log}/heads",
    summary="Every signed head of a log, oldest first",
    response_model=m.TreeHeads,
)
def log_heads(log: LogNumber, container: ContainerDep) -> dict[str, Any]:
    """The log's signed heads."""
    return {"heads": [h.as_json() for h in _guarded(lambda: container.transparency.heads(log))]}


@router.get(
    "/proofs/inclusion",
    summary="Inclusion proof of one event",
    response_model=m.InclusionProof,
    responses=NOT_FOUND,
)
def inclusion(
    container: ContainerDep,
    notification_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    aggregate_id: UUID | None = None,
    version: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    tree_size: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> dict[str, Any]:
    """By notification id, or by aggregate id and version; in the newest tree or `tree_size`."""
    tlog = container.transparency
    if notification_id is not None:
        proof = _guarded(lambda: tlog.inclusion_by_notification(notification_id, tree_size))
    elif aggregate_id is not None and version is not None:
        proof = _guarded(lambda: tlog.inclusion_by_event(aggregate_id, version, tree_size))
    else:
        raise Problem(
            422,
            "Invalid value",
            "name the event: notification_id, or aggregate_id and version",
            [{"field": "notification_id", "reason": "or aggregate_id + version is required"}],
        )
    return _inclusion_json(proof)


def _inclusion_json(proof: InclusionProof) -> dict[str, Any]:
    return {
        "log": proof.log,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "notification_id": proof.leaf.notification_id,
        "aggregate_id": proof.leaf.originator_id,
        "version": proof.leaf.originator_version,
        "leaf_hash": _b64(proof.leaf.leaf_hash),
        "leaf_data": _b64(proof.leaf_data),
        "audit_path": [_b64(h) for h in proof.path],
    }


@router.get(
    "/logs/{log}/proofs/consistency",
    summary="Consistency proof between two heads",
    response_model=m.ConsistencyProof,
    responses=NOT_FOUND,
)
def consistency(
    log: LogNumber,
    container: ContainerDep,
    first: Annotated[int, Query(ge=1, le=2**63 - 1)],
    second: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> dict[str, Any]:
    """The path proving the tree of `first` leaves is a prefix of the tree of `second`."""
    size, path = _guarded(lambda: container.transparency.consistency(log, first, second))
    return {"log": log, "first": first, "second": size, "path": [_b64(h) for h in path]}


@router.get(
    "/verify",
    summary="Recompute every log against its signed heads",
    response_model=m.Verification,
)
def verify(container: ContainerDep) -> dict[str, Any]:
    """Every log checked from the event store (the index on production); the first bad record."""
    reports = _guarded(lambda: verify_store(container.transparency))
    return {"ok": all(r.ok for r in reports), "logs": [r.as_json() for r in reports]}
