"""Import an HSDS 3.0 document as provider and offering events, all or nothing, with a report.

Accepted documents: a service, an organization (with its `services`), or a page of either (the
specification's paged lists). The document is checked against HSDS 3.0 as published (unknown
properties allowed), every record is mapped and every event checked by the public ingest check
before the first one is written; then the events go through `Ingestor.submit`, built by type
name and data only. Identity: each record's CloudEvent is `hsds:<kind>:<HSDS id>` under the
source `/hsds`, whoever publishes the document — the same directory from another publisher is
the same events (answered "duplicate"), and changed content becomes an update, never a copy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.runtime.query import ReadStore
from services.errors import Problem
from services.hsds.plan import PLACEHOLDER, Record, plan
from services.hsds.records import Defaults
from services.ingest.envelope import parse
from services.ingest.service import Ingestor


class ImportRefused(Exception):
    """The document was not imported: the problem, and the per-record report."""

    def __init__(self, problem: Problem, report: dict[str, Any]) -> None:
        super().__init__(problem.detail)
        self.problem = problem
        self.report = report


def _precheck(records: list[Record], now: datetime) -> None:
    for record in records:
        for event in record.events:
            data = {
                k: (PLACEHOLDER if k in ("provider_id", "offering_id") else v)
                for k, v in event["data"].items()
            }
            try:
                parse({**event, "data": data}, now)
            except Problem as problem:
                record.mapped.errors += [
                    {"field": e["field"], "reason": e["reason"]}
                    for e in problem.errors or [{"field": "event", "reason": problem.detail}]
                ]


def run(
    document: Any, ingestor: Ingestor, store: ReadStore, defaults: Defaults, period: str
) -> dict[str, Any]:
    """Plan, check everything, then submit; a refusal before writing changes nothing."""
    kind, records = plan(document, store, defaults, period)
    _precheck(records, ingestor.clock())
    report = {"document": kind, "records": [r.report() for r in records]}
    if any(r.mapped.errors for r in records):
        listed = [
            {"field": "/".join(p for p in (r.at, e["field"]) if p), "reason": e["reason"]}
            for r in records
            for e in r.mapped.errors
        ]
        first = f"{listed[0]['field']}: {listed[0]['reason']}"
        problem = Problem(422, "HSDS document not imported", first, listed[:50])
        raise ImportRefused(problem, report)
    providers: dict[str, str] = {
        r.hsds_id: r.record_id for r in records if r.hsds_type == "organization" and r.record_id
    }
    for record in records:
        for event in record.events:
            data = dict(event["data"])
            if "provider_id" in data:
                data["provider_id"] = providers.get(data["provider_id"], data["provider_id"])
            if data.get("offering_id") == PLACEHOLDER:
                data["offering_id"] = record.record_id
            result = ingestor.submit({**event, "data": data})
            record.results.append(result.as_json())
            if result.outcome is None:
                return {
                    **_final(records, kind),
                    "result": "stopped",
                    "detail": "a record was refused after the check; what was written stays"
                    " (a re-import answers it as duplicate): fix the record and import again",
                }
            if event["type"].endswith(("provider.registered.v2", "offering.published.v2")):
                record.record_id = str(result.outcome.aggregate_id)
                if record.hsds_type == "organization":
                    providers[record.hsds_id] = record.record_id
    return {**_final(records, kind), "result": "imported"}


def _final(records: list[Record], kind: str) -> dict[str, Any]:
    results = [r for rec in records for r in rec.results]
    counts = {
        k: sum(1 for r in results if r.get("result") == k)
        for k in ("stored", "duplicate", "rejected")
    }
    return {"document": kind, "records": [r.report() for r in records], **counts}
