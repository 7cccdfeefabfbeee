"""Test-only: a caller's principal set on each request, until authentication sets it.

The auth branch's middleware resolves credentials to a `Principal` on `request.state`; these
tests stand in for it with a tiny ASGI wrapper that sets the principal a request names in the
`x-test-as` header. It wraps the shared fixtures' client, so nothing else changes.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from services.auth.principal import Principal, Role

HEADER = b"x-test-as"

HRSS = Principal(
    "client-hrss",
    "client",
    Role.PUBLISHER,
    "hrss",
    sources=("/330106/hrss",),
    event_types=("cn.zhulian.household.*", "cn.zhulian.need.*", "cn.zhulian.referral.*"),
)
CIVIL_AFFAIRS = Principal(
    "client-civil-affairs",
    "client",
    Role.PUBLISHER,
    "civil-affairs",
    sources=("/330106/civil-affairs",),
    event_types=("cn.zhulian.household.*", "cn.zhulian.need.*", "cn.zhulian.referral.*"),
)
HEALTH = Principal(
    "client-health",
    "client",
    Role.PUBLISHER,
    "health",
    sources=("/330106/health",),
    event_types=("cn.zhulian.referral.*",),
)
CHARITY = Principal(
    "client-charity",
    "client",
    Role.PUBLISHER,
    "charity-federation",
    sources=("/330106/charity-federation",),
    event_types=("cn.zhulian.fund.*",),
)
STRANGER = Principal(
    "client-stranger",
    "client",
    Role.PUBLISHER,
    "stranger",
    sources=("/330106/stranger",),
    event_types=("cn.zhulian.referral.*", "cn.zhulian.fund.*"),
)
TOWN = Principal("wang", "account", Role.COORDINATOR, "town-wang", region="330106001")
OTHER_TOWN = Principal("li", "account", Role.COORDINATOR, "town-li", region="330106009")
AUDITOR = Principal("audit-zhou", "account", Role.AUDITOR, "audit-zhou")
EVERYONE = {
    p.subject: p
    for p in (HRSS, CIVIL_AFFAIRS, HEALTH, CHARITY, STRANGER, TOWN, OTHER_TOWN, AUDITOR)
}


class AsPrincipal:
    """ASGI wrapper: the request's `x-test-as` header names the principal it carries."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            named = dict(scope["headers"]).get(HEADER)
            if named is not None:
                scope.setdefault("state", {})["principal"] = EVERYONE[named.decode()]
        await self.app(scope, receive, send)


def with_principals(client: TestClient) -> TestClient:
    """The same client; its requests may name a principal with `as_(principal)` headers."""
    transport: Any = client._transport  # the shared fixtures' client, wrapped in place
    if not isinstance(transport.app, AsPrincipal):
        transport.app = AsPrincipal(transport.app)
    return client


def as_(principal: Principal) -> dict[str, str]:
    """Headers that make a request carry this principal."""
    return {HEADER.decode(): principal.subject}
