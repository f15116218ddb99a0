"""Webhook bodies the console tests need beyond texts and taps: a photo of a Pix receipt, and a
delivery status for a message we sent."""

from __future__ import annotations

import time
from typing import Any

import orjson

from tests.support.meta import PHONE_NUMBER_ID


def _envelope(value: dict[str, Any]) -> bytes:
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "100000000000000",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "5511400000000",
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }
    return orjson.dumps(body)


def receipt_image(
    wa_id: str,
    message_id: str,
    name: str = "Maria Souza",
    *,
    media_id: str = "1480293716345821",
    sha256: str = "YQXWzHavQAMl6U1YjOURvlv9u3O0N9xR7KQ5F9ekPj0=",
    mime_type: str = "image/jpeg",
) -> bytes:
    """The customer sends a photo (the Pix receipt), as Meta delivers an image message."""
    return media_message(
        wa_id,
        message_id,
        "image",
        {"caption": "comprovante", "mime_type": mime_type, "sha256": sha256, "id": media_id},
        name,
    )


def media_message(
    wa_id: str, message_id: str, kind: str, media: dict[str, Any], name: str = "Maria Souza"
) -> bytes:
    """The customer sends an image, a document, an audio or a video (`media` as Meta puts it
    under the message's `kind`: id, mime_type, sha256, caption, filename)."""
    message = {
        "from": wa_id,
        "id": message_id,
        "timestamp": str(int(time.time())),
        "type": kind,
        kind: media,
    }
    return _envelope(
        {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}
    )


def status_webhook(wa_id: str, wamid: str, status: str) -> bytes:
    """WhatsApp reports a message we sent as sent, delivered, read or failed."""
    entry = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(time.time())),
        "recipient_id": wa_id,
    }
    return _envelope({"statuses": [entry]})
