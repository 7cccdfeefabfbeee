"""Deny by default: one table says which roles may call every route (method + path template).

A route missing from the table is refused (404, as if it did not exist), and a test fails for
any route of the app without a row. PUBLIC rows need no credential.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from services.auth.principal import Role

PUBLISHER, COORDINATOR, PROVIDER, AUDITOR, ADMINISTRATOR = (
    Role.PUBLISHER, Role.COORDINATOR, Role.PROVIDER, Role.AUDITOR, Role.ADMINISTRATOR,
)  # fmt: skip
PUBLIC: frozenset[Role] = frozenset()  # the empty set marks a route anyone may call
ANYONE_SIGNED_IN = frozenset(Role)
CASEWORK_READ = frozenset({COORDINATOR, AUDITOR})  # needs, referrals, households, money, queues
DIRECTORY_READ = frozenset({COORDINATOR, AUDITOR, PROVIDER})  # services, providers, HSDS
LOG_READ = frozenset({PUBLISHER, COORDINATOR, PROVIDER, AUDITOR})  # hashes and proofs only

_CASEWORK_GETS = (
    "/v1/needs", "/v1/needs/{need_id}", "/v1/pairings",
    "/v1/households", "/v1/households/by-key/{household_key}", "/v1/households/{household_id}",
    "/v1/households/{household_id}/timeline", "/v1/households/{household_id}/money",
    "/v1/funds", "/v1/funds/{fund_id}", "/v1/funds/{fund_id}/trace",
    "/v1/contracts", "/v1/contracts/{contract_id}", "/v1/resources",
    "/v1/statistics", "/v1/statistics/on-time", "/v1/match-queue",
    "/v1/needs/{need_id}/candidates", "/v1/needs/{need_id}/candidates/explain", "/v1/match-gaps",
    "/v1/matching-policies/{region_code}", "/v1/vocabularies/{region}",
    "/v1/screening/facts", "/v1/screening/rules/{region_code}", "/v1/screening/alerts",
    "/v1/screening/alerts/{alert_id}", "/v1/screening/checks/{region_code}",
    "/v1/screening/households/{household_key}/facts", "/v1/screening/lists",
    "/v1/screening/feeds", "/v1/reservations", "/v1/statistics/outcomes",
    "/", "/ui/needs", "/ui/referrals", "/ui/households", "/ui/households/{household_id}",
    "/ui/services", "/ui/resources", "/ui/funds/{fund_id}", "/ui/match-queue", "/ui/statistics",
    "/ui/alerts", "/ui/referrals/{referral_id}", "/ui/matching-policy", "/ui/screening/rules",
    "/ui/screening/what-if", "/ui/screening/checks", "/ui/screening/feeds",
)  # fmt: skip
_DIRECTORY_GETS = (
    "/v1/services", "/v1/services/{offering_id}", "/v1/providers", "/v1/providers/{provider_id}",
    "/v1/hsds/services", "/v1/hsds/services/{service_id}", "/v1/hsds/organizations",
    "/v1/hsds/organizations/{organization_id}", "/v1/hsds/locations",
    "/v1/hsds/locations/{location_id}", "/v1/hsds/taxonomies",
    # providers get only the referrals they hold (services/auth/jurisdiction.py)
    "/v1/referrals", "/v1/referrals/{referral_id}",
)  # fmt: skip
_LOG_GETS = (
    "/v1/transparency/key", "/v1/transparency/heads", "/v1/transparency/logs/{log}/heads",
    "/v1/transparency/proofs/inclusion", "/v1/transparency/logs/{log}/proofs/consistency",
    "/v1/transparency/verify",
)  # fmt: skip
_PUBLIC = (
    ("GET", "/login"), ("POST", "/login"), ("POST", "/v1/oauth/token"),
    ("GET", "/.well-known/jwks.json"), ("GET", "/v1/event-types"),
    ("GET", "/v1/event-types/{type_name}/schema"), ("GET", "/v1/hsds/schema"),
    ("GET", "/v1/hsds/schema/{document}"), ("GET", "/docs"), ("GET", "/redoc"),
    ("GET", "/openapi.json"), ("*", "/docs-assets"), ("*", "/static/web"),
    # probes carry view positions and part names, never household data
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/v1/health"),
    # counters and latencies only; deploy/ keeps the port off the public network
    ("GET", "/metrics"),
)  # fmt: skip

POLICY: dict[tuple[str, str], frozenset[Role]] = {
    **{key: PUBLIC for key in _PUBLIC},
    **{("GET", path): CASEWORK_READ for path in _CASEWORK_GETS},
    **{("GET", path): DIRECTORY_READ for path in _DIRECTORY_GETS},
    ("GET", "/v1/audit/views/{view_name}"): frozenset({AUDITOR}),
    ("GET", "/v1/audit/views/{view_name}/compare"): frozenset({AUDITOR}),
    ("GET", "/v1/audit/access-log"): frozenset({AUDITOR}),
    **{("GET", path): LOG_READ for path in _LOG_GETS},
    # writes: who may publish which type under which source is publishing.py's decision
    ("POST", "/v1/events"): frozenset({PUBLISHER, COORDINATOR, PROVIDER}),
    ("POST", "/v1/hsds/import"): frozenset({PUBLISHER}),
    ("POST", "/v1/transparency/heads"): frozenset({PUBLISHER, COORDINATOR}),
    ("POST", "/v1/screening/alerts/{alert_id}/outcome"): frozenset({COORDINATOR}),
    # the pages' forms: the same publishing rules as POST /v1/events decide what each may send
    ("GET", "/ui/act/{name}"): frozenset({COORDINATOR, PROVIDER}),
    ("POST", "/ui/act/{name}"): frozenset({COORDINATOR, PROVIDER}),
    # side-effect free evaluations: those who read the files may run them
    ("POST", "/v1/screening/rules/check"): CASEWORK_READ,
    ("POST", "/v1/screening/what-if"): CASEWORK_READ,
    # credentials: administrators manage them, auditors read them
    ("GET", "/v1/admin/clients"): frozenset({ADMINISTRATOR, AUDITOR}),
    ("POST", "/v1/admin/clients"): frozenset({ADMINISTRATOR}),
    ("POST", "/v1/admin/clients/{client_id}/rotate"): frozenset({ADMINISTRATOR}),
    ("POST", "/v1/admin/clients/{client_id}/revoke"): frozenset({ADMINISTRATOR}),
    ("GET", "/v1/admin/accounts"): frozenset({ADMINISTRATOR, AUDITOR}),
    ("POST", "/v1/admin/accounts"): frozenset({ADMINISTRATOR}),
    ("POST", "/v1/admin/accounts/{name}/rotate"): frozenset({ADMINISTRATOR}),
    ("POST", "/v1/admin/accounts/{name}/revoke"): frozenset({ADMINISTRATOR}),
    ("GET", "/v1/admin/credential-events"): frozenset({ADMINISTRATOR, AUDITOR}),
    ("GET", "/v1/me"): ANYONE_SIGNED_IN,
    ("POST", "/logout"): ANYONE_SIGNED_IN,
}
MOUNTS = frozenset(path for method, path in POLICY if method == "*")


@dataclass(frozen=True)
class Rule:
    """One row of the table, compiled for matching request paths."""

    method: str
    template: str
    roles: frozenset[Role]
    pattern: re.Pattern[str]

    @property
    def public(self) -> bool:
        """Whether anyone may call the route."""
        return not self.roles


def _compile(method: str, template: str, roles: frozenset[Role]) -> Rule:
    if method == "*":  # a mounted directory: everything under it
        return Rule(method, template, roles, re.compile(re.escape(template) + "(/.*)?"))
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return Rule(method, template, roles, re.compile(regex))


def _specificity(rule: Rule) -> tuple[int, int]:
    """Literal paths before templated ones, so /households/by-key wins over /households/{id}."""
    return (rule.template.count("{"), -len(rule.template))


RULES = sorted((_compile(m, t, r) for (m, t), r in POLICY.items()), key=_specificity)


def rule_for(method: str, path: str) -> Rule | None:
    """The row governing a request, or None (refused: deny by default)."""
    method = "GET" if method == "HEAD" else method
    for rule in RULES:
        if rule.method in (method, "*") and rule.pattern.fullmatch(path):
            return rule
    return None


def app_routes(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path template) of every route of an app, included routers flattened."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:  # FastAPI's included router
            yield from app_routes(original.routes, prefix + route.include_context.prefix)
            continue
        methods = getattr(route, "methods", None)
        if not methods:
            yield "*", prefix + route.path
            continue
        for method in sorted(set(methods) - {"HEAD"}):
            yield method, prefix + route.path
