"""Access tokens: short-lived JWTs signed by the service with Ed25519 (EdDSA), `kid` in the header.

Keys come as "kid=key,…" (current first): the first signs, every one verifies, so a rotation
adds a new first key, waits out one token lifetime, then drops the old one.
"""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from services.transparency.signing import parse_signing_key

ISSUER = "zhulian"
AUDIENCE = "zhulian-api"


class TokenError(Exception):
    """A token that does not verify (bad signature, unknown kid, expired, wrong audience)."""


def parse_keys(text: str) -> list[tuple[str, Ed25519PrivateKey]]:
    """The signing keys of 'kid=key,…' (Ed25519 seeds as hex/base64, or PEM), current first."""
    keys: list[tuple[str, Ed25519PrivateKey]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        kid, sep, key = part.partition("=")
        if not sep or not kid or not key:
            raise ValueError("ZHULIAN_TOKEN_SIGNING_KEYS must be 'kid=key,…'")
        try:
            keys.append((kid, parse_signing_key(key)))
        except ValueError as bad:
            raise ValueError(f"ZHULIAN_TOKEN_SIGNING_KEYS: key {kid!r}: {bad}") from None
    if not keys:
        raise ValueError("ZHULIAN_TOKEN_SIGNING_KEYS names no key")
    if len({kid for kid, _ in keys}) != len(keys):
        raise ValueError("ZHULIAN_TOKEN_SIGNING_KEYS names a kid twice")
    return keys


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class TokenIssuer:
    """Signs access tokens with the current key; verifies with any configured key."""

    keys: list[tuple[str, Ed25519PrivateKey]]
    lifetime: int = 900

    def issue(self, client: dict[str, Any]) -> tuple[str, int]:
        """A token for a client row, and its lifetime in seconds."""
        kid, key = self.keys[0]
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": client["client_id"],
            "iat": now,
            "nbf": now,
            "exp": now + self.lifetime,
            "jti": uuid.uuid4().hex,
            "ver": client["version"],
            "role": client["role"],
        }
        token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})
        return token, self.lifetime

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token this service signed, or TokenError."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as bad:
            raise TokenError(str(bad)) from None
        public = self._public().get(str(kid))
        if public is None:
            raise TokenError("unknown key id")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                public,
                algorithms=["EdDSA"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "sub", "ver", "iat"]},
            )
        except jwt.PyJWTError as bad:
            raise TokenError(str(bad)) from None
        return claims

    def _public(self) -> dict[str, Ed25519PublicKey]:
        return {kid: key.public_key() for kid, key in self.keys}

    def jwks(self) -> dict[str, Any]:
        """The public keys as a JSON Web Key Set (RFC 7517, OKP keys of RFC 8037)."""
        return {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "kid": kid,
                    "use": "sig",
                    "alg": "EdDSA",
                    "x": _b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw)),
                }
                for kid, public in self._public().items()
            ]
        }


def looks_like_jwt(token: str) -> bool:
    """Three dot-separated parts: worth decoding."""
    return token.count(".") == 2
