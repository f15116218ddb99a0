"""Meta's side of an end-to-end test: signed webhooks sent to our server over real HTTP."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

import httpx
import orjson

from dresbach.platform.whatsapp import payloads
from dresbach.platform.whatsapp.signature import sign

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


class Customer:
    """A WhatsApp user driving the bot over real HTTP: says texts, taps buttons and list rows of
    the bot's last interactive message (as seen at the fake Graph API), waits for replies."""

    def __init__(self, meta: Meta, graph: Any, wa_id: str) -> None:
        self.meta, self.graph, self.wa_id = meta, graph, wa_id
        self.seen = 0

    def replies(self) -> list[dict[str, Any]]:
        return replies_to(self.graph.requests, self.wa_id)

    def waits_for_reply(self, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The bot's messages to this user since the last wait, once they stop coming."""
        deadline = time.monotonic() + timeout
        last = -1
        while time.monotonic() < deadline:
            got = self.replies()
            if len(got) > self.seen and len(got) == last:  # settled for one poll
                new, self.seen = got[self.seen :], len(got)
                return new
            last = len(got)
            time.sleep(0.15)
        raise AssertionError(f"no reply to {self.wa_id} within {timeout}s")

    def says(self, body: str) -> list[dict[str, Any]]:
        assert self.meta.says(self.wa_id, body).status_code == 200
        return self.waits_for_reply()

    def bot_says(self, timeout: float = 15.0) -> str:
        """The text of the bot's next reply, all its messages as one string."""
        return "\n".join(text_of(m) for m in self.waits_for_reply(timeout))

    def taps(self, title: str) -> list[dict[str, Any]]:
        for message in reversed(self.replies()):
            if message.get("type") != "interactive":
                continue
            interactive = message["interactive"]
            if interactive["type"] == "button":
                for b in interactive["action"]["buttons"]:
                    if b["reply"]["title"] == title:
                        return self._tap("button_reply", b["reply"]["id"], title)
            elif interactive["type"] == "list":
                for section in interactive["action"]["sections"]:
                    for row in section["rows"]:
                        if row["title"] == title:
                            return self._tap("list_reply", row["id"], title)
        raise AssertionError(f"no option {title!r} offered to {self.wa_id}")

    def _tap(self, kind: str, choice_id: str, title: str) -> list[dict[str, Any]]:
        message = payloads.reply_message(
            self.meta.message_id(), self.wa_id, kind, choice_id, title, int(time.time())
        )
        body = orjson.dumps(payloads.envelope([message], wa_id=self.wa_id, name="Maria Souza"))
        assert self.meta.post(body).status_code == 200
        return self.waits_for_reply()


def text_of(message: dict[str, Any]) -> str:
    if message["type"] == "text":
        return str(message["text"]["body"])
    if message["type"] == "interactive":
        return str(message["interactive"]["body"]["text"])
    if message["type"] == "template":
        return f"[template {message['template']['name']}]"
    return f"[{message['type']}]"
