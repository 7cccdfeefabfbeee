"""Who acts on the pages in the tests: an account made for the principal, signed in for real."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from services.auth.principal import Principal, Role
from tests.support.signed_in import SignedIn


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


PASSWORD = "a-test-password-of-the-suite"


class BrowserAccounts:
    """For an app served by uvicorn in the browser tests: `sign_in_as(principal)` makes an
    account for the principal (its role, region and department) that the browser then signs in
    as, on the real login page (`SIGN_IN` of the browser tests)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def sign_in_as(self, principal: Principal) -> None:
        """The next sign-in of the browser is as an account made for this principal."""
        from tests.e2e.test_pages_in_browser import SIGN_IN

        authority = self.app.state.auth
        name = f"{principal.subject}-{principal.actor}"[:64]
        if authority.store.account(name) is None:
            authority.create_account(
                "test suite", name=name, role=principal.role.value, region=principal.region,
                department=principal.actor, password=PASSWORD,
            )  # fmt: skip
        SIGN_IN.update(name=name, password=PASSWORD)


def act_as(client: TestClient, principal: Principal | None) -> None:
    """Every later request of this client signs in as an account made for the principal (its
    role, region and department), through the real login; None: nobody signed in."""
    assert isinstance(client, SignedIn), "act_as needs the shared fixtures' signed-in client"
    client.speak_as(principal)
