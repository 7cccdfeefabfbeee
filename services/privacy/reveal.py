"""Sealed values back to text at read time: clear for a role that needs it, masked otherwise.

Views, exports, pages and as-of replays hold tokens, never clear text. A response is revealed
on its way out (`RevealMiddleware` for JSON and HTML; `Reveal.rows` for exports built from
rows), so every read path shares one decision (`access.may_read_clear`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

import orjson

from domain.households.identity import household_id
from services.auth.principal import Principal
from services.privacy.access import HouseholdScope, may_read_clear
from services.privacy.keystore import KeyStore
from services.privacy.masking import ERASED, REDACTED, UNREADABLE, mask_household_key
from services.privacy.session import Absent, KeySession
from services.privacy.tokens import TOKEN, Unreadable, open_token, parse

HOUSEHOLD_KEY = re.compile(r"\bhh[1-9][0-9]{0,2}_[0-9a-f]{40}\b")
ScopeOf = Callable[[UUID], HouseholdScope]


class Revealer:
    """Builds a Reveal per request from the key store and the views' household facts."""

    def __init__(self, keys: KeyStore, scope_of: ScopeOf) -> None:
        self.keys = keys
        self.scope_of = scope_of

    def for_caller(self, principal: Principal | None) -> Reveal:
        """What one caller may read, with keys memoised for this request only."""
        return Reveal(self.keys.session(), self.scope_of, principal)


class Reveal:
    """Turns tokens into clear text, `[redacted]`, `[erased]` or `[unreadable]`."""

    def __init__(self, keys: KeySession, scope_of: ScopeOf, principal: Principal | None) -> None:
        self._keys = keys
        self._scope_of = scope_of
        self.principal = principal
        self._allowed: dict[UUID, bool] = {}

    def allowed(self, household: UUID) -> bool:
        """Whether this caller reads the household's personal fields in clear."""
        if household not in self._allowed:
            self._allowed[household] = may_read_clear(
                self.principal, lambda: self._scope_of(household)
            )
        return self._allowed[household]

    def token(self, text: str) -> str:
        """The clear text of one whole token, or the mask that stands for it."""
        try:
            token = parse(text)
        except ValueError:
            return UNREADABLE
        if not self.allowed(token.household):
            return REDACTED
        key = self._keys.key_to_read(token.household)
        if key is Absent.ERASED:
            return ERASED
        if key is Absent.NONE:
            return UNREADABLE
        try:
            return open_token(key, token)
        except Unreadable:
            return UNREADABLE

    def text(self, value: str, escape: Callable[[str], str] = str) -> str:
        """A string with every token in it revealed (and household keys masked as needed)."""
        if "enc:v1:" in value:
            value = TOKEN.sub(lambda m: escape(self.token(m.group(0))), value)
        if self.principal is not None and "hh" in value:
            value = HOUSEHOLD_KEY.sub(self._household_key, value)
        return value

    def _household_key(self, match: re.Match[str]) -> str:
        key = match.group(0)
        return key if self.allowed(household_id(key)) else mask_household_key(key)

    def value(self, value: Any) -> Any:
        """Any JSON-like value with its strings revealed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        return value

    def rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """View rows (an export's) with their strings revealed."""
        return [self.value(row) for row in rows]

    def body(self, body: bytes, media_type: str) -> bytes:
        """A JSON or HTML response body with its tokens revealed, escaped for the medium."""
        escape: Callable[[str], str] = (
            html.escape if media_type == "text/html" else (lambda s: orjson.dumps(s)[1:-1].decode())
        )
        return self.text(body.decode(), escape).encode()


def needs_reveal(body: bytes, principal: Principal | None) -> bool:
    """Whether a body holds anything to reveal or mask (cheap: a byte search)."""
    return b"enc:v1:" in body or (principal is not None and b"hh" in body)
