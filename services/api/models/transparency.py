"""Response models of the auditors' transparency endpoints (hashes and signatures in base64)."""

from __future__ import annotations

from pydantic import Field

from services.api.models.common import Model


class SigningKey(Model):
    """The key that signs tree heads."""

    algorithm: str = Field(description="Always Ed25519")
    key_id: str = Field(description="SHA-256 of the DER SubjectPublicKeyInfo, hex (RFC 6962)")
    public_key: str = Field(description="PEM")


class TreeHead(Model):
    """A signed tree head of one log."""

    log: int = Field(description="A Kafka partition; 0 on the embedded profile")
    tree_size: int
    timestamp: int = Field(description="Milliseconds since the epoch")
    root_hash: str
    key_id: str
    signature: str = Field(description="Ed25519 over uint32 log || RFC 6962 TreeHeadSignature")


class TreeHeads(Model):
    """Signed tree heads."""

    heads: list[TreeHead]


class InclusionProof(Model):
    """Where one event sits in a tree, and the path to its root (RFC 9162 §2.1.3)."""

    log: int
    leaf_index: int
    tree_size: int
    notification_id: int
    aggregate_id: str
    version: int
    leaf_hash: str
    leaf_data: str = Field(description="The entry the leaf hashes, as the log holds it now")
    audit_path: list[str]


class ConsistencyProof(Model):
    """The path proving one tree is a prefix of another (RFC 9162 §2.1.4)."""

    log: int
    first: int
    second: int
    path: list[str]


class Finding(Model):
    """The first bad record of a log."""

    position: int
    problem: str
    notification_id: int | None
    aggregate: str | None
    version: int | None


class LogReport(Model):
    """One log checked from one source (index, kafka)."""

    log: int
    source: str
    events: int
    head_size: int | None
    heads_checked: int
    findings: list[Finding]
    ok: bool


class Verification(Model):
    """Every log checked against its signed heads."""

    ok: bool
    logs: list[LogReport]
