"""Meta's side of an end-to-end test: signed webhooks sent to our server over real HTTP."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

import httpx
import orjson

from dresbach.integrations.whatsapp import payloads
from dresbach.integrations.whatsapp.signature import sign

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
ACCESS_TOKEN = "test-access-token"
PHONE_NUMBER_ID = "100000000000001"


class Meta:
    def __init__(self, origin: str, secret: str = APP_SECRET) -> None:
        self.origin, self.secret = origin, secret
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]

    def message_id(self) -> str:
        return f"wamid.e2e.{self._run}.{next(self._ids)}"

    def text_body(self, wa_id: str, body: str, message_id: str | None = None) -> bytes:
        message = payloads.text_message(
            message_id or self.message_id(), wa_id, body, int(time.time())
        )
        return orjson.dumps(payloads.envelope([message], wa_id=wa_id, name="Cliente Teste"))

    def tap_body(self, wa_id: str, choice_id: str, title: str) -> bytes:
        message = payloads.reply_message(
            self.message_id(), wa_id, "button_reply", choice_id, title, int(time.time())
        )
        return orjson.dumps(payloads.envelope([message], wa_id=wa_id, name="Cliente Teste"))

    def post(
        self, body: bytes, *, client: httpx.Client | None = None, **headers: str
    ) -> httpx.Response:
        all_headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": sign(self.secret, body),
            **headers,
        }
        if client is not None:
            return client.post(f"{self.origin}/webhook", content=body, headers=all_headers)
        return httpx.post(f"{self.origin}/webhook", content=body, headers=all_headers, timeout=10)

    def says(self, wa_id: str, body: str) -> httpx.Response:
        return self.post(self.text_body(wa_id, body))


def replies_to(requests: list[Any], wa_id: str) -> list[dict[str, Any]]:
    """Message bodies (not read receipts) the fake Graph API accepted for `wa_id`, in order."""
    return [r.body for r in requests if not r.is_read_receipt and r.recipient == wa_id]
