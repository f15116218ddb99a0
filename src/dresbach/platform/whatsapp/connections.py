"""A fixed set of keep-alive HTTP/1.1 connections to the Graph API, one request on each at a time.

httpcore's general-purpose pool, on every request, walks all its connections and asks each idle
one whether it has expired (a `poll()` on its socket): with 16 connections at hundreds of sends a
second that walk was a fifth of the sender's CPU. Here a request takes the most recently used idle
connection (last in, first out, so the warm ones stay warm), checks that one only, and puts it
back when the response has been read. A connection that fails is closed and not reused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import httpcore


class GraphConnections:
    def __init__(self, url: str, *, size: int, keepalive_expiry: float = 60.0) -> None:
        parsed = httpcore.URL(url)
        self._origin = parsed.origin
        default = {b"http": 80, b"https": 443}.get(parsed.scheme)
        port = parsed.port
        self._host = parsed.host if port in (None, default) else b"%b:%d" % (parsed.host, port)
        self._size, self._keepalive = size, keepalive_expiry
        self._idle: list[httpcore.AsyncHTTPConnection] = []
        self._slots: asyncio.Semaphore | None = None

    def _fresh(self) -> httpcore.AsyncHTTPConnection:
        return httpcore.AsyncHTTPConnection(origin=self._origin, keepalive_expiry=self._keepalive)

    async def _take(self) -> httpcore.AsyncHTTPConnection:
        while self._idle:
            connection = self._idle.pop()
            if connection.is_idle() and not connection.has_expired():
                return connection
            await connection.aclose()
        return self._fresh()

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Sequence[tuple[bytes, bytes]],
        content: bytes,
        extensions: Mapping[str, Any],
    ) -> tuple[int, bytes, bytes]:
        """(status, body, reason phrase) of a request to this origin, with Host and
        Content-Length added as httpcore's pool would. Raises httpcore's exceptions."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            connection = await self._take()
            sent = [
                (b"Host", self._host),
                *headers,
                (b"Content-Length", str(len(content)).encode("ascii")),
            ]
            request = httpcore.Request(
                method, url, headers=sent, content=content, extensions=dict(extensions)
            )
            try:
                response = await connection.handle_async_request(request)
                try:
                    body = await response.aread()
                finally:
                    await response.aclose()
            except BaseException:
                await connection.aclose()
                raise
            if connection.is_idle():
                self._idle.append(connection)
            else:  # the server closed it (Connection: close) or it broke: not reused
                await connection.aclose()
            reason = response.extensions.get("reason_phrase", b"")
            return response.status, body, reason if isinstance(reason, bytes) else b""

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.aclose()
