"""Conversations between rows and domain objects."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import orjson

from dresbach.kernel.conversation import SECRET_SLOT_PREFIX, Conversation, Place
from dresbach.platform.store.database import utc
from dresbach.platform.store.sealing import Sealer, is_sealed


def _place(text: str) -> Place:
    flow, _, state = text.partition(".")
    return Place(flow=flow, state=state)


def _open_secrets(slots: dict[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    if sealer is None:
        return slots
    return {
        k: sealer.open(v) if k.startswith(SECRET_SLOT_PREFIX) and is_sealed(v) else v
        for k, v in slots.items()
    }


def _seal_secrets(slots: Mapping[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    sealed: dict[str, Any] = {}
    for k, v in slots.items():
        if k.startswith(SECRET_SLOT_PREFIX) and v is not None and not is_sealed(v):
            if sealer is None:
                raise ValueError(f"slot {k} holds a secret and there is no sealer")
            v = sealer.seal(str(v))
        if v is not None or not k.startswith(SECRET_SLOT_PREFIX):
            sealed[k] = v
    return sealed


def from_row(row: Mapping[str, Any], sealer: Sealer | None = None) -> Conversation:
    return Conversation(
        key=row["key"],
        address=row["address"],
        profile_name=row["profile_name"],
        place=Place(flow=row["flow"], state=row["state"]),
        slots=MappingProxyType(_open_secrets(orjson.loads(row["slots"]), sealer)),
        trail=tuple(_place(p) for p in orjson.loads(row["trail"])),
        last_activity_at=utc(row["last_activity_at"]),
        version=row["version"],
    )


def to_values(conversation: Conversation, sealer: Sealer | None = None) -> dict[str, Any]:
    return {
        "address": conversation.address,
        "profile_name": conversation.profile_name,
        "flow": conversation.place.flow,
        "state": conversation.place.state,
        "slots": orjson.dumps(_seal_secrets(conversation.slots, sealer)).decode(),
        "trail": orjson.dumps([str(p) for p in conversation.trail]).decode(),
        "last_activity_at": conversation.last_activity_at,
    }
