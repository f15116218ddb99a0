"""The one door into a conversation for an internal event: every job, sweep, webhook and
operator action that tells a conversation something (a payment confirmed, an operator's reply, a
meeting booked) steps it here, inside its own transaction, so that what it did and what the
conversation says of it are committed together, and once (by the event's id).

The sealer is required: without it the conversation's `secret.*` slots would be stepped sealed,
and what a flow derives from them (a masked CNPJ) would be garbage.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from dresbach.kernel.events import InternalEvent
from dresbach.kernel.policy import Policy
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import Duplicate, take_in_tx


def event_payload(event: InternalEvent) -> dict[str, Any]:
    """The event's fields as the inbox keeps them: a tuple as a list, a mapping as an object,
    anything else as its text (a time as `2026-11-25 10:00:00-03:00`, a flag as `True`), which
    is what the console's history reads back."""
    payload: dict[str, Any] = {}
    for f in fields(event):
        value = getattr(event, f.name)
        if isinstance(value, tuple):
            payload[f.name] = list(value)
        elif isinstance(value, dict):
            payload[f.name] = {str(k): str(v) for k, v in value.items()}
        else:
            payload[f.name] = str(value)
    return payload


def deliver(
    connection: Connection,
    event: InternalEvent,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
) -> bool:
    """Step the conversation with `event` inside the caller's transaction, under a savepoint;
    False when the event was taken in before (nothing is written then)."""
    try:
        with connection.begin_nested():
            take_in_tx(connection, event, event_payload(event), now, policy, sealer, hooks)
    except Duplicate:
        return False
    return True
