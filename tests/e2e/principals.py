"""The callers of the publishing and access-log tests: each is signed in with a real credential
made for it (a department's client with its sources and types, or a person's account)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.auth.principal import Principal, Role
from tests.support.signed_in import SignedIn

HEADER = b"x-test-as"


def department(subject: str, actor: str, *types: str) -> Principal:
    """A department's system: a publisher under its own source, sending the listed types."""
    return Principal(
        subject, "client", Role.PUBLISHER, actor, sources=(f"/330106/{actor}",), event_types=types
    )


CASEWORK = ("cn.zhulian.household.*", "cn.zhulian.need.*", "cn.zhulian.referral.*")
HRSS = department("client-hrss", "hrss", *CASEWORK)
CIVIL_AFFAIRS = department("client-civil-affairs", "civil-affairs", *CASEWORK)
HEALTH = department("client-health", "health", "cn.zhulian.referral.*")
CHARITY = department("client-charity", "charity-federation", "cn.zhulian.fund.*")
STRANGER = department("client-stranger", "stranger", "cn.zhulian.referral.*", "cn.zhulian.fund.*")
TOWN = Principal("wang", "account", Role.COORDINATOR, "town-wang", region="330106002")
OTHER_TOWN = Principal("li", "account", Role.COORDINATOR, "town-li", region="330106009")
AUDITOR = Principal("audit-zhou", "account", Role.AUDITOR, "audit-zhou")
EVERYONE = {
    p.subject: p
    for p in (HRSS, CIVIL_AFFAIRS, HEALTH, CHARITY, STRANGER, TOWN, OTHER_TOWN, AUDITOR)
}


def with_principals(client: TestClient) -> TestClient:
    """The same signed-in client; a request naming a principal with `as_(principal)` is signed
    in with a real credential made for it (a client token, or an account's session)."""
    assert isinstance(client, SignedIn), "with_principals needs the shared fixtures' client"
    client.principals.update(EVERYONE)
    return client


def as_(principal: Principal) -> dict[str, str]:
    """Headers that make a request go as this principal (see `with_principals`)."""
    return {HEADER.decode(): principal.subject}
