"""JSON logs on the standard library's logging, with the request id of the current request.

Standard-library logging rather than structlog: uvicorn, kafka-python, psycopg and eventsourcing
all log through it, so one formatter makes every line JSON, without a second logging system to
bridge and without a new dependency (orjson already encodes).
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# A registration number (18 characters, digits and a final check character) or any long digit run.
_LONG_NUMBER = re.compile(r"\d{14,}[\dXx]?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is a sane token, else a fresh one."""
    if header and _VALID_ID.match(header):
        return header
    return uuid.uuid4().hex


def redact(text: str) -> str:
    """A refusal reason without the values it quotes (they may be personal data)."""
    return _LONG_NUMBER.sub("#", _QUOTED.sub("'…'", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            body["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in body:
                body[key] = value
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(body, default=str).decode()


class _RequestIdText(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = REQUEST_ID.get()
        return f"{text} [request {request_id}]" if request_id else text


def configure(fmt: Literal["json", "text"] | None = None, level: str | None = None) -> None:
    """Send every logger to stderr, as JSON lines (ZHULIAN_LOG_FORMAT=json, the default) or text."""
    chosen = fmt or os.environ.get("ZHULIAN_LOG_FORMAT", "json")
    handler = logging.StreamHandler(sys.stderr)
    if chosen == "text":
        handler.setFormatter(_RequestIdText("%(asctime)s %(levelname)s %(name)s %(message)s"))
    else:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("ZHULIAN_LOG_LEVEL", "INFO").upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Our middleware logs every request with its id; uvicorn's access line would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("kafka").setLevel(logging.WARNING)
