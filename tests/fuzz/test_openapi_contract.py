"""Schemathesis over the served OpenAPI: every operation, bounded, no 5xx, as documented."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from harness.households import SECRET
from services.api.app import create_app
from services.settings import Settings
from tests.fuzz.conftest import FUZZ


def _served_openapi() -> dict[str, Any]:
    """The document the app serves (built without starting it; requests go through `client`)."""
    with tempfile.TemporaryDirectory() as scratch:
        settings_ = Settings(data_dir=Path(scratch), demo=False, household_secret=SECRET)
        return create_app(settings_).openapi()


schema = schemathesis.openapi.from_dict(_served_openapi())

# What every answer must satisfy: never a server error; a documented status code, content type,
# headers and body. (Checks of how an API *should* treat invalid input are left out: schemathesis
# cannot know the domain's refusals, e.g. a well-formed region code that does not exist.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 6  # per operation: the file stays near a minute on a shared 2-core machine


def _send(client: Any, case: Any) -> Any:
    """Send the generated request through the shared test client (its headers, its cookies)."""
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif isinstance(kwargs.get("data"), bytes | str):
        body["content"] = kwargs["data"]
    elif kwargs.get("data") is not None:
        body["data"] = kwargs["data"]
    return client.request(
        kwargs["method"],
        kwargs["url"],
        headers=kwargs.get("headers") or {},
        params=kwargs.get("params"),
        cookies=kwargs.get("cookies"),
        **body,
    )


@schema.parametrize()
@settings(FUZZ, max_examples=EXAMPLES)
def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    case: Any, client: Any
) -> None:
    case.validate_response(_send(client, case), checks=CHECKS)
