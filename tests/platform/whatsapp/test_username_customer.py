"""A customer who adopted a WhatsApp username writes with no phone number in the webhook, only
a business-scoped user id (BSUID). Meta delivers our replies to such a customer only through
`recipient`: a BSUID in `to` is refused, which the fake Graph API now enforces."""

from __future__ import annotations

import time

import orjson

from tests.support.meta import PHONE_NUMBER_ID
from tests.support.stack_fixtures import Stack

BSUID = "BR.4417730098812256"


def username_only(message_id: str, body: str) -> bytes:
    """A text from a username-only customer, shaped like Meta's (fixture `username_only`)."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "5511400000000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Camila", "username": "@camila.tech"}, "user_id": BSUID}],
        "messages": [
            {
                "from_user_id": BSUID,
                "id": message_id,
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": body},
            }
        ],
    }
    change = {"field": "messages", "value": value}
    envelope = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "100000000000000", "changes": [change]}],
    }
    return orjson.dumps(envelope)


def test_a_username_only_customer_is_answered_through_recipient(stack: Stack) -> None:
    assert stack.meta.post(username_only(stack.meta.message_id(), "oi")).status_code == 200

    def settled(_: object) -> bool:
        return bool(stack.graph.messages_to(BSUID)) or any(
            f.body is not None and BSUID in (f.body.get("to"), f.body.get("recipient"))
            for f in stack.graph.failures
        )

    assert stack.graph.wait_for(settled, 15.0), "no reply was even attempted"
    refused = [(f.code, f.details) for f in stack.graph.failures]
    assert refused == []
    greeting, *_ = stack.graph.messages_to(BSUID)
    assert greeting["recipient"] == BSUID
    assert "to" not in greeting
