"""A message as it waits in the inbox between its 200 and its step: the parsed event and the raw
message object, as one JSON text that the inbox keeps sealed (`inbox.to_step`), since it holds
what the customer typed before the step knows whether it was a secret."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

import orjson

from dresbach.kernel.events import (
    ButtonChosen,
    ContactsReceived,
    FlowCompleted,
    IdentityChanged,
    InboundEvent,
    ListRowChosen,
    LocationReceived,
    MediaReceived,
    ReactionReceived,
    Referral,
    Sender,
    TextReceived,
    UnsupportedReceived,
)

KINDS: dict[str, type[InboundEvent]] = {
    kind.__name__: kind
    for kind in (
        TextReceived,
        ButtonChosen,
        ListRowChosen,
        FlowCompleted,
        MediaReceived,
        LocationReceived,
        ContactsReceived,
        ReactionReceived,
        UnsupportedReceived,
        IdentityChanged,
    )
}
"""Every kind of message the edge parses, by its class name."""


def _plain(value: Any) -> Any:
    if isinstance(value, Sender | Referral):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def encode(event: InboundEvent, payload: dict[str, Any]) -> str:
    """The event (its class and fields) and the raw message, as one JSON text."""
    data = {f.name: _plain(getattr(event, f.name)) for f in fields(event)}
    return orjson.dumps({"kind": type(event).__name__, "event": data, "payload": payload}).decode()


def decode(text: str) -> tuple[InboundEvent, dict[str, Any]]:
    """What `encode` wrote, back as the event and the raw message."""
    found = orjson.loads(text)
    data = dict(found["event"])
    data["sender"] = Sender(**data["sender"])
    data["timestamp"] = datetime.fromisoformat(data["timestamp"])
    if data.get("referral") is not None:
        data["referral"] = Referral(**data["referral"])
    if "names" in data:
        data["names"] = tuple(data["names"])
    payload: dict[str, Any] = found["payload"]
    return KINDS[found["kind"]](**data), payload
