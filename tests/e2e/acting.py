"""Test-only: who acts on the pages until login exists (the auth branch swaps this for a login).

`act_as(client, principal)` makes every request of a started TestClient carry the principal, by
an ASGI wrapper around the app's middleware stack; `PrincipalMiddleware` does the same for an
app served by uvicorn in the browser tests.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from services.auth.principal import Principal, Role


def coordinator(region: str = "330106", actor: str = "civil-affairs") -> Principal:
    """A coordinator of a region (a person), acting for a department."""
    return Principal(
        subject=f"coordinator-{region}",
        kind="account",
        role=Role.COORDINATOR,
        actor=actor,
        region=region,
        department=actor,
    )


class PrincipalMiddleware:
    """Puts one principal on every request's state, as authentication will."""

    def __init__(self, app: Any, principal: Principal | None = None) -> None:
        self.app = app
        self.principal = principal

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.principal is not None:
            scope.setdefault("state", {})["principal"] = self.principal
        await self.app(scope, receive, send)


def act_as(client: TestClient, principal: Principal | None) -> None:
    """Every later request of this client carries the principal (None: nobody signed in)."""
    app = client.app
    stack = app.middleware_stack  # type: ignore[attr-defined]
    if isinstance(stack, PrincipalMiddleware):
        stack.principal = principal
    else:
        app.middleware_stack = PrincipalMiddleware(stack, principal)  # type: ignore[attr-defined]
