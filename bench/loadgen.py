"""A lean HTTP/1.1 load generator (keep-alive, asyncio streams), so the client is not the limit.

httpx costs more CPU per request than the endpoints it measures on a 2-core machine; this sends
hand-built requests on persistent connections and reads `Content-Length` answers.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from bench.common import request_headers


class Connection:
    """One keep-alive connection to the server under test."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._heads: dict[tuple[str, str, str, tuple[tuple[str, str], ...]], bytes] = {}

    async def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """Send one request and return the status and the body."""
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        extra = tuple(sorted((headers or {}).items()))
        kind = (method, path, content_type, extra)
        head = self._heads.get(kind)
        if head is None:  # built once per kind of request: the generator stays cheap
            head = self._heads[kind] = self._head(method, path, content_type, headers)
        length = b"Content-Length: %d\r\n\r\n" % len(body) if body or method == "POST" else b"\r\n"
        self._writer.write(head + length + body)
        status_line = await self._reader.readline()
        if not status_line:  # the server closed an idle keep-alive connection: send again
            self.close()
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            self._writer.write(head + length + body)
            status_line = await self._reader.readline()
        status = int(status_line.split()[1])
        length_of_answer = 0
        while (line := await self._reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length_of_answer = int(value)
        return status, await self._reader.readexactly(length_of_answer)

    def _head(
        self, method: str, path: str, content_type: str, headers: dict[str, str] | None = None
    ) -> bytes:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in request_headers(headers).items())
        if method == "POST":
            head += f"Content-Type: {content_type}\r\n"
        return head.encode()

    def close(self) -> None:
        """Close the connection."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
