"""The inbox and outbox rows a step writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from dresbach.kernel.events import Event


def inbox_row(
    message_id: str,
    key: str,
    event: Event,
    stored: dict[str, Any],
    now: datetime,
    place: str,
    defects: list[str],
) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "conversation_key": key,
        "kind": event.kind,
        "payload": orjson.dumps(stored).decode(),
        "received_at": now,
        "place": place,
        "defects": orjson.dumps(defects).decode() if defects else None,
        "not_understood": 0,
    }


def outbox_row(
    key: str,
    seq: int,
    recipient: str,
    kind: str,
    payload: dict[str, Any],
    callback: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "conversation_key": key,
        "seq": seq,
        "recipient": recipient,
        "kind": kind,
        "payload": orjson.dumps(payload).decode(),
        "fallback": None,
        "callback_data": callback,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "delivery_rank": 0,
        "created_at": now,
    }
