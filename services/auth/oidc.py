"""An external OpenID Connect issuer, trusted by configuration: its tokens map to a Principal.

The JWKS is a file (read at start) or an https URL (fetched and cached by PyJWT's client, off
the event loop). Role, region and department come from configurable claim names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt

from services.auth.principal import Principal, Role
from services.auth.tokens import TokenError

ALGORITHMS = ["RS256", "ES256", "EdDSA", "PS256"]


class OidcIssuer:
    """Verifies tokens of one configured issuer against its JWKS."""

    def __init__(
        self,
        issuer: str,
        jwks: str,
        audience: str,
        *,
        role_claim: str = "zhulian_role",
        region_claim: str = "zhulian_region",
        department_claim: str = "zhulian_department",
    ) -> None:
        if not jwks or not audience:
            raise ValueError(
                "ZHULIAN_OIDC_ISSUER needs ZHULIAN_OIDC_JWKS and ZHULIAN_OIDC_AUDIENCE"
            )
        self.issuer = issuer
        self.audience = audience
        self.claims = (role_claim, region_claim, department_claim)
        self._client: jwt.PyJWKClient | None = None
        self._set: jwt.PyJWKSet | None = None
        if jwks.startswith("https://") or jwks.startswith("http://"):
            self._client = jwt.PyJWKClient(jwks, cache_keys=True, lifespan=300)
        else:
            self._set = jwt.PyJWKSet.from_dict(json.loads(Path(jwks).read_text()))

    def accepts(self, token: str) -> bool:
        """Whether the token names this issuer (unverified: only to pick the verifier)."""
        try:
            return jwt.decode(token, options={"verify_signature": False}).get("iss") == self.issuer
        except jwt.PyJWTError:
            return False

    def _key(self, token: str) -> Any:
        kid = jwt.get_unverified_header(token).get("kid")
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key  # blocking: a thread calls
        assert self._set is not None
        for key in self._set.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise TokenError("unknown key id")

    def principal(self, token: str) -> Principal:
        """The principal of a verified token (blocking when the JWKS is a URL)."""
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except (jwt.PyJWTError, TokenError) as bad:
            raise TokenError(str(bad)) from None
        role_claim, region_claim, department_claim = self.claims
        try:
            role = Role(claims.get(role_claim, ""))
        except ValueError:
            raise TokenError(f"claim {role_claim!r} names no role") from None
        department = claims.get(department_claim) or None
        subject = f"{self.issuer}#{claims['sub']}"
        return Principal(
            subject=subject,
            kind="account",
            role=role,
            actor=department if role is Role.PUBLISHER and department else subject,
            region=str(claims.get(region_claim, "") or ""),
            department=department,
            provider=department if role is Role.PROVIDER else None,
        )
