"""The floor: a bare FastAPI endpoint that parses a CloudEvent with orjson and answers 201.

`uvicorn bench.floor:app` — what any endpoint of this stack costs at least (same server, same
HTTP parser and loop as `zhulian serve`), the baseline of the HTTP benchmarks.
"""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response

app = FastAPI()


@app.post("/v1/events")
async def publish(request: Request) -> Response:
    """Parse the event and answer as a stored one would be answered."""
    event = orjson.loads(await request.body())
    body = {"id": event["id"], "source": event["source"], "status": 201, "result": "stored"}
    return Response(orjson.dumps(body), 201, media_type="application/json")


@app.get("/v1/health")
async def health() -> dict[str, str]:
    """Up."""
    return {"status": "ok"}
