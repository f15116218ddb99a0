"""Real-shaped inbound webhook bodies, built the way Meta sends them: for the simulator,
`dresbach chat`, the benchmark and the tests."""

from __future__ import annotations

from typing import Any, Final

SANDBOX_NUMBER: Final = "100000000000001"
"""The phone number id the simulator and `dresbach chat` write to: the sandbox's own number."""


def envelope(
    messages: list[dict[str, Any]],
    *,
    wa_id: str,
    user_id: str | None = None,
    name: str = "Cliente",
    phone_number_id: str = SANDBOX_NUMBER,
) -> dict[str, Any]:
    contact: dict[str, Any] = {"profile": {"name": name}, "wa_id": wa_id}
    if user_id:
        contact["user_id"] = user_id
    return {
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
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [contact],
                            "messages": messages,
                        },
                    }
                ],
            }
        ],
    }


def text_message(message_id: str, wa_id: str, body: str, timestamp: int) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": message_id,
        "timestamp": str(timestamp),
        "type": "text",
        "text": {"body": body},
    }


def reply_message(
    message_id: str, wa_id: str, kind: str, choice_id: str, title: str, timestamp: int
) -> dict[str, Any]:
    """A tap on a reply button (`button_reply`) or a list row (`list_reply`)."""
    return {
        "from": wa_id,
        "id": message_id,
        "timestamp": str(timestamp),
        "type": "interactive",
        "interactive": {"type": kind, kind: {"id": choice_id, "title": title}},
    }


def flow_reply_message(
    message_id: str, wa_id: str, response_json: str, timestamp: int
) -> dict[str, Any]:
    """A WhatsApp Flow's completion (`nfm_reply`): `response_json` holds the flow token and
    the params the endpoint closed the Flow with."""
    return {
        "from": wa_id,
        "id": message_id,
        "timestamp": str(timestamp),
        "type": "interactive",
        "interactive": {
            "type": "nfm_reply",
            "nfm_reply": {"name": "flow", "body": "Sent", "response_json": response_json},
        },
    }
