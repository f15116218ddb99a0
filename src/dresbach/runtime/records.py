"""Conversations between rows and domain objects."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import orjson

from dresbach.domain.conversation import Conversation, Place
from dresbach.runtime.database import utc


def _place(text: str) -> Place:
    flow, _, state = text.partition(".")
    return Place(flow=flow, state=state)


def from_row(row: Mapping[str, Any]) -> Conversation:
    return Conversation(
        key=row["key"],
        address=row["address"],
        profile_name=row["profile_name"],
        place=Place(flow=row["flow"], state=row["state"]),
        slots=MappingProxyType(orjson.loads(row["slots"])),
        trail=tuple(_place(p) for p in orjson.loads(row["trail"])),
        last_activity_at=utc(row["last_activity_at"]),
        version=row["version"],
    )


def to_values(conversation: Conversation) -> dict[str, Any]:
    return {
        "address": conversation.address,
        "profile_name": conversation.profile_name,
        "flow": conversation.place.flow,
        "state": conversation.place.state,
        "slots": orjson.dumps(dict(conversation.slots)).decode(),
        "trail": orjson.dumps([str(p) for p in conversation.trail]).decode(),
        "last_activity_at": conversation.last_activity_at,
    }
