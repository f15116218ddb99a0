"""The unit of work inside a caller's transaction: lock the conversation, step it, check its
replies, save it with its inbox and outbox rows (deduplicated by the event's id), apply its
commands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from dresbach.kernel import codec
from dresbach.kernel.conversation import Conversation, Decision, Place
from dresbach.kernel.events import (
    Event,
    IdentityChanged,
    InboundEvent,
    InternalEvent,
    TextReceived,
)
from dresbach.kernel.limits import violations
from dresbach.kernel.messages import Text
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import installed
from dresbach.platform.inbound import flood
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.records import from_row, to_values
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.step_writes import SAVE_COLUMNS, write_step
from dresbach.platform.store.unit_of_work.at_rest import masked, outbound_at_rest, redacted
from dresbach.platform.store.unit_of_work.identity import keep_known, lock, move_identity
from dresbach.platform.store.unit_of_work.window import (
    in_sensitive_window,
    is_sensitive,
    sensitive_until,
)
from dresbach.platform.work.effects import apply_commands

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Taken:
    """What taking one event in did."""

    duplicate: bool
    replies: int = 0
    defects: tuple[str, ...] = ()
    place: str = ""
    """Where the conversation stands after the event (`flow.state`)."""


def _checked(before: Conversation, decision: Decision) -> tuple[list[Any], list[str]]:
    """The replies that may be sent, and a defect for each one that may not: WhatsApp's limits,
    then the guards of the flows the conversation was in and went to (e.g. no price before the
    Tech Ops offer)."""
    allowed, defects = [], list(decision.defects)
    guards = []
    for conversation in (before, decision.conversation):
        flow = installed().machine.flows.get(conversation.place.flow)
        if flow is not None and flow.guard is not None:
            guards.append((flow.guard, conversation))
    for message in decision.replies:
        problems = violations(message)
        problems += [p for g, c in guards if (p := g(c, message)) is not None]
        if problems:
            defects.append(f"not sent: {'; '.join(problems)}")
        else:
            allowed.append(message)
    return allowed, defects


class Duplicate(Exception):
    """Raised inside the transaction to roll it back when the event was seen before."""


def take_in_tx(
    connection: Connection,
    event: Event,
    payload: dict[str, Any],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    hooks: StepHooks,
) -> Taken:
    """The unit of work inside a caller's transaction (raises Duplicate to roll it back)."""
    if isinstance(event, InboundEvent):
        message_id, key, address = event.message_id, event.sender.key, event.sender.address
        if isinstance(event, IdentityChanged):
            key = move_identity(connection, event)
            address = event.new_wa_id or address
    else:
        assert isinstance(event, InternalEvent)
        message_id, key, address = event.event_id, event.conversation_key, ""
    row = lock(connection, key, address, event, now)
    if isinstance(event, InboundEvent) and not isinstance(event, IdentityChanged):
        row = keep_known(connection, row, event)
    stored = payload
    if isinstance(event, InboundEvent):
        sensitive = is_sensitive(Place(flow=row["flow"], state=row["state"]))
        if isinstance(event, TextReceived) and (sensitive or in_sensitive_window(row, now, hooks)):
            stored = redacted(payload)
        else:
            stored = masked(payload)
    window = flood.count(row, event, now, policy.flood_per_minute)
    if window.throttled:
        return _take_in_flooded(connection, key, message_id, event, stored, row, window, now)
    # what the records add (what the customer owns: not from the slots)
    conversation = from_row(row, sealer)
    for enrich in hooks.enrich:
        conversation = enrich(connection, conversation, now)
    decision = installed().machine.step(conversation, event, now, policy)
    replies, defects = _checked(conversation, decision)
    inbox_row = _inbox_row(
        message_id, key, event, stored, now, str(decision.conversation.place), defects
    )
    inbox_row["not_understood"] = int(decision.not_understood)
    recipient = decision.conversation.address or row["address"]
    rows: list[dict[str, Any]] = []
    seq = row["outbox_seq"]
    if isinstance(event, InboundEvent) and not isinstance(event, IdentityChanged):
        seq += 1
        # "typing…" only when a reply follows: not for a reaction, nor while a person has the chat
        read = {"message_id": message_id, "typing": bool(replies)}
        rows.append(_outbox_row(key, seq, recipient, "read", read, None, now))
    for n, message in enumerate(replies):
        seq += 1
        encoded = outbound_at_rest(codec.encode(message), sealer)
        row_values = _outbox_row(key, seq, recipient, "message", encoded, f"{message_id}#{n}", now)
        if isinstance(message, Text) and message.fallback is not None:
            fallback = outbound_at_rest(codec.encode(message.fallback), sealer)
            row_values["fallback"] = orjson.dumps(fallback).decode()
        rows.append(row_values)
    values = to_values(decision.conversation, sealer)
    values.update(outbox_seq=seq, version=row["version"] + 1, updated_at=now)
    values["last_inbound_at"] = now if isinstance(event, InboundEvent) else row["last_inbound_at"]
    values["sensitive_until"] = sensitive_until(
        row, event, conversation, decision.conversation, now, policy, hooks
    )
    values.update(window.values)
    # Deduplicate by message id: the conversation lock serializes deliveries of one user, so a
    # duplicate finds the first delivery's inbox row here and writes nothing.
    if not write_step(connection, key, inbox_row, rows, values):
        raise Duplicate
    apply_commands(connection, key, decision.commands, now, sealer)
    for after_step in hooks.after_step:
        after_step(connection, key, conversation, decision, now)
    return Taken(
        duplicate=False,
        replies=len(replies),
        defects=tuple(defects),
        place=str(decision.conversation.place),
    )


def _take_in_flooded(
    connection: Connection,
    key: str,
    message_id: str,
    event: Event,
    stored: dict[str, Any],
    row: Any,
    window: flood.Window,
    now: datetime,
) -> Taken:
    """A message over the user's flood limit: kept in the inbox, not stepped; the conversation
    is saved as it was (its window counted). The first one over the limit gets the notice, and
    no message of the flood gets a read receipt (platform/inbound/flood.py)."""
    inbox_row = _inbox_row(message_id, key, event, stored, now, f"{row['flow']}.{row['state']}", [])
    rows, seq = [], row["outbox_seq"]
    if window.notify:
        seq += 1
        notice = codec.encode(flood.notice())
        rows.append(
            _outbox_row(key, seq, row["address"], "message", notice, f"{message_id}#0", now)
        )
        log.warning("a user passed the flood limit: slowed down until the minute ends")
    values = {name: row[name] for name in SAVE_COLUMNS}
    values.update(window.values)
    values.update(outbox_seq=seq, version=row["version"] + 1, updated_at=now, last_inbound_at=now)
    if not write_step(connection, key, inbox_row, rows, values):
        raise Duplicate
    return Taken(duplicate=False, replies=len(rows))


def _inbox_row(
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


def _outbox_row(
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
