"""Sandbox mode: the real client, but its requests end in a local sink instead of Meta.

The transport answers like the Graph API and hands each accepted request body to `record`,
which bootstrap points at the database table the simulator and `dresbach chat` read.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson

Record = Callable[[str, dict[str, Any], str], Awaitable[None]]


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, record: Record) -> None:
        self._record = record
        self._counter = itertools.count(1)
        self._prefix = uuid.uuid4().hex[:12]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raw = await request.aread()
        if request.method == "GET":  # a customer's media: the sandbox holds none (Meta's 100)
            error = {"message": "Unsupported get request.", "type": "GraphMethodException"}
            return httpx.Response(400, json={"error": {**error, "code": 100}})
        if request.url.path.endswith("/media"):
            return httpx.Response(200, json={"id": f"sandbox-media-{next(self._counter)}"})
        body: dict[str, Any] = orjson.loads(raw)
        if body.get("status") == "read":
            return httpx.Response(200, json={"success": True})
        wamid = f"wamid.sandbox.{self._prefix}.{next(self._counter)}"
        phone = body.get("to")  # Meta: to (a phone number) wins over recipient (a BSUID)
        recipient = str(phone or body.get("recipient", ""))
        contact = {"input": recipient, "wa_id" if phone else "user_id": recipient}
        await self._record(recipient, body, wamid)
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [contact],
                "messages": [{"id": wamid, "message_status": "accepted"}],
            },
        )
