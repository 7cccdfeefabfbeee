"""Request limits, enforced before a request reaches a route: size, nesting, arrays, strings.

Sizes are checked on the Content-Length header and again while the body streams in (a chunked
body is cut off at the limit, never buffered whole); JSON bodies are then walked once, without
recursion, for nesting depth, array lengths and string lengths — so JSON Schema validation,
whose cost grows faster than its input for some keywords (uniqueItems), only ever sees bounded
arrays. Refusals are problems naming the limit and its setting: 413 for size, 422 for shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson

from services.errors import Problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

BATCH_TYPE = "application/cloudevents-batch+json"
# Routes whose body is a collection (a batch, a directory), judged by the batch limits.
BULK_PATHS = ("/v1/hsds/import",)


@dataclass(frozen=True)
class Limits:
    """The configured limits (settings ZHULIAN_MAX_*)."""

    body_bytes: int
    batch_body_bytes: int
    json_depth: int
    array_items: int
    batch_items: int
    string_chars: int


class LimitsMiddleware:
    """Refuses oversized or overly deep request bodies before any route parses them."""

    def __init__(self, app: App, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        bulk = content_type == BATCH_TYPE or scope["path"] in BULK_PATHS
        limit = self.limits.batch_body_bytes if bulk else self.limits.body_bytes
        setting = "ZHULIAN_MAX_BATCH_BODY_BYTES" if bulk else "ZHULIAN_MAX_BODY_BYTES"
        try:
            declared = int(headers.get("content-length", "0") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            await _refuse(send, _too_large(declared, limit, setting))
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _refuse(send, _too_large(len(body), limit, setting))
                return
        if "json" in content_type:
            problem = self._check_json(bytes(body), bulk)
            if problem is not None:
                await _refuse(send, problem)
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    def _check_json(self, body: bytes, bulk: bool) -> Problem | None:
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            if "recursion" in str(error).lower():
                return _shape(
                    "body",
                    f"nests deeper than {self.limits.json_depth} levels",
                    "ZHULIAN_MAX_JSON_DEPTH",
                )
            return None  # malformed JSON: the route answers 400 with the parser's reason
        return check_shape(value, self.limits, bulk)


def check_shape(value: Any, limits: Limits, bulk: bool = False) -> Problem | None:
    """The first nesting, array or string limit the value breaks, as a 422 problem; else None."""
    # Depth counts from each event: a batch's own array does not count.
    stack: list[tuple[Any, int, tuple[Any, ...]]] = [(value, 0 if bulk else 1, ())]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, dict):
            children: Any = node.items()
        elif isinstance(node, list):
            # A bulk body's collection (the batch, or a directory's list) may be longer.
            collection = bulk and len(path) <= 1
            most = limits.batch_items if collection else limits.array_items
            if len(node) > most:
                setting = "ZHULIAN_MAX_BATCH_ITEMS" if collection else "ZHULIAN_MAX_ARRAY_ITEMS"
                return _shape(_name(path), f"has {len(node)} items, more than {most}", setting)
            children = enumerate(node)
        else:
            continue
        if depth > limits.json_depth:
            return _shape(
                _name(path),
                f"nests deeper than {limits.json_depth} levels",
                "ZHULIAN_MAX_JSON_DEPTH",
            )
        for key, child in children:
            if isinstance(key, str) and len(key) > limits.string_chars:
                return _shape(
                    _name(path),
                    f"has a key longer than {limits.string_chars} characters",
                    "ZHULIAN_MAX_STRING_CHARS",
                )
            if isinstance(child, str):
                if len(child) > limits.string_chars:
                    return _shape(
                        _name((*path, key)),
                        f"is {len(child)} characters, more than {limits.string_chars}",
                        "ZHULIAN_MAX_STRING_CHARS",
                    )
            elif isinstance(child, dict | list):
                stack.append((child, depth + 1, (*path, key)))
    return None


def _name(path: tuple[Any, ...]) -> str:
    out = "body"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _too_large(size: int, limit: int, setting: str) -> Problem:
    reason = f"is {size} bytes or more, over the limit of {limit} bytes ({setting})"
    return Problem(
        413, "Payload too large", f"body: {reason}", [{"field": "body", "reason": reason}]
    )


def _shape(field: str, reason: str, setting: str) -> Problem:
    reason = f"{reason} ({setting})"
    return Problem(
        422, "Limit exceeded", f"{field}: {reason}", [{"field": field, "reason": reason}]
    )


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then whatever the client does next (e.g. disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await original()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _refuse(send: Send, problem: Problem) -> None:
    body = orjson.dumps(problem.as_json())
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
