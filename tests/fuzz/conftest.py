"""The fuzz suite runs against the e2e fixtures' app, so whatever guards them guards these too."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.e2e.conftest import client, demo_client  # noqa: F401 - the shared fixtures, re-exported

# Deterministic: the same examples on every run (CI cannot flake); a failure prints the falsifying
# example and a `@reproduce_failure` blob that replays it.
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
