"""A ceiling on every request body, whatever the route, before anything reads it.

`BodyLimit` is plain ASGI and wraps the whole app. A request that declares a `Content-Length`
beyond the cap is answered 413 at once, without reading a byte of its body; one that streams
(chunked) has its bytes counted as they arrive, and the moment the count passes the cap the
route's read fails and the answer is 413. Either way the connection is closed, so the rest of the
upload is never taken in: memory stays flat whatever the client sends. The server reads a body
only as fast as the route asks for it, so nothing piles up in between.

Routes that read their body through a cap of their own (the webhooks: 1 MiB for Meta and
Chatwoot, 256 KiB for the PSPs, each answering 413 itself and counting it in its metrics) are
named in `own_caps` and left to it. Routes that take files (the console's upload of an image or a
PDF for a customer) have a larger cap of their own in `larger`: a path pattern and its limit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Final

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY: Final = 64 * 1024
"""Bytes. The largest legitimate body is a console reply of 4,096 characters, form-encoded (up to
about 48 KiB when every character is a four-byte emoji), or the simulator's JSON of the same."""


class _TooLarge(Exception):
    """Raised inside the route's read when the body passes the cap."""


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = MAX_BODY,
        own_caps: Collection[str] = (),
        larger: Mapping[str, int] | None = None,
    ):
        self.app = app
        self.limit = limit
        self.own_caps = frozenset(own_caps)
        self.larger = [(re.compile(p), n) for p, n in (larger or {}).items()]

    def _limit(self, path: str) -> int:
        return next((n for p, n in self.larger if p.fullmatch(path)), self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.own_caps:
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        if self._declared(scope, limit) > limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:  # an answer is already on its way: cut it short, nothing else to say
                raise
            await self._refuse(scope, receive, send)

    def _declared(self, scope: Scope, limit: int) -> int:
        """The body size the client announced (0 when it did not; the server has already refused
        a `Content-Length` that is not a number)."""
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit():
                return int(value) if len(value) <= 18 else limit + 1
        return 0

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            "payload too large", status_code=413, headers={"Connection": "close"}
        )
        await response(scope, receive, send)
