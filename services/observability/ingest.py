"""Counts every ingest outcome and logs every refusal with its reason — never the event's data."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from typing import Any

from services.observability.logs import REQUEST_ID, redact
from services.observability.metrics import INGEST

log = logging.getLogger("zhulian.ingest")


def observe(raw: Any, result: Any, index: int | None = None) -> None:
    """Count one result; log it when refused (type, source, id, status, title, fields, reason)."""
    problem = getattr(result, "problem", None)
    if problem is None:
        outcome = result.outcome
        INGEST.labels("duplicate" if outcome.duplicate else "stored", "").inc()
        return
    INGEST.labels("refused", problem.title).inc()
    envelope = raw if isinstance(raw, dict) else {}
    fields = [e.get("field", "") for e in problem.errors]
    reasons = [redact(str(e.get("reason", ""))) for e in problem.errors]
    log.warning(
        "event refused: %s",
        problem.title,
        extra={
            "request_id": REQUEST_ID.get(),
            "event_type": _text(envelope.get("type")),
            "event_source": _text(envelope.get("source")),
            "event_id": _text(envelope.get("id")),
            "batch_index": index,
            "status": problem.status,
            "reason": redact(problem.detail),
            "fields": fields,
            "field_reasons": reasons,
        },
    )


def _text(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) else None


class ObservedIngestor:
    """An ingestor whose every result is counted and every refusal logged.

    `submit` and `submit_batch` are read in the request (the router passes them to the write
    gate's threads), so they capture the request's context then: the refusal lines a writer
    thread logs still carry the request id.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    @property
    def submit(self) -> Callable[..., Any]:
        """Submit one event through the wrapped ingestor (in the caller's context)."""
        context = contextvars.copy_context()
        return lambda raw, *a, **k: context.copy().run(self._submit, raw, *a, **k)

    @property
    def submit_batch(self) -> Callable[..., Any]:
        """Submit a batch through the wrapped ingestor (in the caller's context)."""
        context = contextvars.copy_context()
        return lambda raws, *a, **k: context.copy().run(self._submit_batch, raws, *a, **k)

    def _submit(self, raw: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = self._inner.submit(raw, *args, **kwargs)
        except Exception:
            INGEST.labels("unavailable", "Store unavailable").inc()
            raise
        observe(raw, result)
        return result

    def _submit_batch(self, raws: list[Any], *args: Any, **kwargs: Any) -> Any:
        results = self._inner.submit_batch(raws, *args, **kwargs)
        for index, (raw, result) in enumerate(zip(raws, results, strict=False)):
            observe(raw, result, index)
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
