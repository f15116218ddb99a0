"""The typing indicator (#18.19): Meta shows "digitando…" for up to 25 seconds or until a reply,
so it goes out with a message's read receipt only when the bot is about to answer it. A reaction,
or a message while a person has the chat, is marked read and nothing more."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson

from dresbach.platform.whatsapp import payloads
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

USER = "5511944445555"


def receipt_of(stack: Stack, message_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for body in stack.graph.read_receipts():
            if body.get("message_id") == message_id:
                return body
        time.sleep(0.05)
    raise AssertionError(f"no read receipt for {message_id}")


def says(stack: Stack, text: str) -> str:
    message_id = stack.meta.message_id()
    assert stack.meta.post(stack.meta.text_body(USER, text, message_id)).status_code == 200
    return message_id


def reacts(stack: Stack, to: str, emoji: str) -> str:
    message_id = stack.meta.message_id()
    message = {
        "from": USER,
        "id": message_id,
        "timestamp": str(int(time.time())),
        "type": "reaction",
        "reaction": {"message_id": to, "emoji": emoji},
    }
    body = orjson.dumps(payloads.envelope([message], wa_id=USER, name="Cliente Teste"))
    assert stack.meta.post(body).status_code == 200
    return message_id


def test_typing_shows_only_when_a_reply_follows(stack: Stack) -> None:
    customer = stack.customer(USER)

    # the user says "oi": the bot answers, so "digitando…" shows
    hello = says(stack, "oi")
    customer.waits_for_reply()
    assert receipt_of(stack, hello)["typing_indicator"] == {"type": "text"}

    # the user reacts 👍 to the menu: read, and the bot stays silent
    wamid = stack.graph.requests[-1].wamid
    assert wamid is not None
    liked = reacts(stack, wamid, "👍")
    receipt = receipt_of(stack, liked)
    assert "typing_indicator" not in receipt
    time.sleep(0.5)
    assert len(customer.replies()) == customer.seen  # nothing said

    # the user asks for a person and a person takes the chat: what the user says next goes to
    # the person; the bot says nothing, and so shows no typing
    customer.says("atendente")
    [item] = asyncio.run(stack.container.handoff.queue())
    asyncio.run(stack.container.handoff.take(item.handoff_id, "Carlos"))
    joined = customer.waits_for_reply()
    assert any("Carlos" in text_of(m) for m in joined)
    seen = len(customer.replies())
    to_the_person = says(stack, "Bom dia, Carlos! Meu site caiu.")
    receipt = receipt_of(stack, to_the_person)
    assert "typing_indicator" not in receipt
    time.sleep(0.5)
    assert len(customer.replies()) == seen
