"""POST /v1/events: CloudEvents 1.0 over HTTP (structured, binary, batch); the event catalogue."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from services.api import http_binding
from services.api.deps import ContainerDep
from services.api.models.operations import BatchResults, EventResult, EventTypeEntry
from services.api.problems import problem_response, problem_responses
from services.auth.principal import principal_of
from services.errors import Problem
from services.ingest.catalogue import CATALOGUE
from services.ingest.media_types import BATCH
from services.ingest.service import batch_answer

router = APIRouter(prefix="/v1", tags=["events"])

MAX_BATCH = 10_000

# Where a record an event created or changed can be read (the Location of a 201).
RECORD_PATHS = {
    "household": "/v1/households/{}",
    "need": "/v1/needs/{}",
    "referral": "/v1/referrals/{}",
    "provider": "/v1/providers/{}",
    "offering": "/v1/services/{}",
    "fund": "/v1/funds/{}",
    "contract": "/v1/contracts/{}",
}


def _examples() -> dict[str, Any]:
    """One OpenAPI example per current event type, generated from the catalogue."""
    examples: dict[str, Any] = {}
    for name, event_type in CATALOGUE.items():
        if event_type.legacy is not None:
            continue
        examples[name.removeprefix("cn.zhulian.")] = {
            "summary": event_type.summary,
            "value": {
                "specversion": "1.0",
                "id": f"example-{event_type.short_name}",
                "source": "/330106/civil-affairs",
                "type": name,
                "time": "2026-11-20T09:30:00+08:00",
                "data": event_type.example,
            },
        }
    return examples


_EXAMPLES = _examples()
_FIRST = next(iter(_EXAMPLES.values()))["value"]


@router.post(
    "/events",
    summary="Publish one CloudEvent, or a batch",
    description=(
        "Structured mode (`application/cloudevents+json`): one event; binary mode (`ce-*` "
        "headers, `Content-Type` = the data's `application/json`, body = data): one event; "
        "201 when stored, 200 when it is a duplicate of an event already taken (same `source` "
        "+ `id`), 4xx with a problem naming the field and the reason otherwise. Batch mode "
        f"(`{BATCH}`): a JSON array; 200 with one result per item, in order. Any other "
        "content type: 415. An optional extension attribute `expectedversion` (a positive "
        "integer) makes a change conditional (412 on mismatch)."
    ),
    status_code=201,
    responses={
        201: {"model": EventResult, "description": "Stored (one event)"},
        200: {
            "model": EventResult | BatchResults,
            "description": "A duplicate of an event already taken (one event), or a batch's "
            "results, one per item",
        },
        **problem_responses(400, 404, 409, 412, 413, 415, 422, 503),
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/cloudevents+json": {"examples": _EXAMPLES},
                BATCH: {"example": [_FIRST]},
            }
        }
    },
)
async def publish(request: Request, container: ContainerDep) -> Response:
    """Take one event or a batch."""
    incoming = http_binding.read(request.headers, await request.body())
    principal = principal_of(request)  # None until authentication attaches one
    body = incoming.payload
    if incoming.mode == "batch":
        if not isinstance(body, list):
            raise Problem(422, "Invalid batch", "a batch must be a JSON array of CloudEvents")
        if len(body) > MAX_BATCH:
            raise Problem(413, "Batch too large", f"at most {MAX_BATCH} events per batch")
        # The answer is built and encoded on the writer thread too: 10,000 results encoded on
        # the event loop would hold health and the lists back.
        answer = await container.writes.run(
            partial(batch_answer, container.ingestor.submit_batch, body, principal)
        )
        container.nudge()
        return Response(answer, media_type="application/json")
    result = await container.writes.run(
        partial(container.ingestor.submit, body, principal=principal)
    )
    container.nudge()
    if result.problem is not None:
        return problem_response(result.problem)
    headers = {}
    if result.status == 201 and result.outcome is not None:
        path = RECORD_PATHS.get(result.outcome.kind)
        if path is not None:
            headers["Location"] = path.format(result.outcome.aggregate_id)
    return JSONResponse(result.as_json(), result.status, headers=headers)


@router.get("/event-types", summary="The event catalogue", response_model=list[EventTypeEntry])
def event_types() -> list[dict[str, Any]]:
    """Every type a department may publish, with a link to its JSON Schema."""
    return [
        {
            "type": name,
            "version": t.version,
            "summary": t.summary,
            "record": t.definition.record,
            "effect": t.definition.effect.value,
            "conditional": t.definition.effect.value == "changes",
            "superseded_by": t.superseded_by,
            "schema": f"/v1/event-types/{name}/schema",
        }
        for name, t in CATALOGUE.items()
    ]


@router.get(
    "/event-types/{type_name}/schema",
    summary="JSON Schema of an event type's data",
    responses={200: {"content": {"application/schema+json": {}, "application/json": {}}}},
)
def event_schema(type_name: str) -> dict[str, Any]:
    """The JSON Schema the `data` of this type must satisfy."""
    event_type = CATALOGUE.get(type_name)
    if event_type is None:
        raise Problem(404, "Not found", f"no event type {type_name!r}")
    return event_type.schema
