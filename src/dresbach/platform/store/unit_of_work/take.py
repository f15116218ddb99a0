"""The unit of work inside a caller's transaction: lock the conversation, step it, check its
replies, save it with its inbox and outbox rows (deduplicated by the event's id), apply its
commands."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from dresbach.kernel import codec
from dresbach.kernel.conversation import Conversation, Decision, Place
from dresbach.kernel.events import (
    Event,
    FlowCompleted,
    IdentityChanged,
    InboundEvent,
    InternalEvent,
    MediaReceived,
    TextReceived,
)
from dresbach.kernel.limits import violations
from dresbach.kernel.messages import FlowInvite, Message, OrderStatus, PixOrder, Text
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import installed
from dresbach.platform.inbound import flood, media
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.records import from_row, to_values
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.step_writes import SAVE_COLUMNS, write_held_step, write_step
from dresbach.platform.store.unit_of_work import burst
from dresbach.platform.store.unit_of_work.at_rest import (
    flow_reply_stored,
    masked,
    outbound_at_rest,
    redacted,
)
from dresbach.platform.store.unit_of_work.identity import keep_known, lock, locked, move_identity
from dresbach.platform.store.unit_of_work.rows import inbox_row, outbox_row
from dresbach.platform.store.unit_of_work.window import (
    in_sensitive_window,
    is_sensitive,
    sensitive_until,
)
from dresbach.platform.whatsapp.flow_tokens import issue_in
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


def _with_token(connection: Connection, key: str, message: Message, now: datetime) -> Message:
    """A Flow message gets its flow token here, issued in the step's transaction: single use,
    bound to this conversation, ending the one sent before it."""
    if not isinstance(message, FlowInvite):
        return message
    issued = issue_in(connection, conversation_key=key, purpose=message.purpose, now=now)
    return replace(message, token=issued.token)


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
    *,
    arrived: bool = False,
) -> Taken:
    """The unit of work inside a caller's transaction (raises Duplicate to roll it back).
    `arrived`: the webhook stored the message when it came (its inbox row waits to be stepped:
    the step completes it, and a row stepped before is the duplicate)."""
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
    held = burst.holds(row, event, now, policy, sealer, hooks)
    if row["held"] and (not held or burst.closed(row, now, policy, sealer)):
        # the texts held before this event are the turn before it: the user's order holds
        _step_held(connection, key, row, now, policy, sealer, hooks)
        row = lock(connection, key, address, event, now)
        held = burst.holds(row, event, now, policy, sealer, hooks)
    stored = payload
    if isinstance(event, InboundEvent):
        sensitive = is_sensitive(Place(flow=row["flow"], state=row["state"]))
        if isinstance(event, TextReceived) and (sensitive or in_sensitive_window(row, now, hooks)):
            stored = redacted(payload)
        elif isinstance(event, FlowCompleted):
            stored = flow_reply_stored(payload)
        else:
            stored = masked(payload)
    if isinstance(event, MediaReceived):  # fetched by a job: the step does not wait for it
        media.note(connection, key, event, now)
    window = flood.count(row, event, now, policy.flood_per_minute)
    if window.throttled:
        kept = (stored, window, arrived)
        return _take_in_flooded(connection, key, message_id, event, kept, row, now)
    if held:
        assert isinstance(event, TextReceived)
        assert sealer is not None
        kept_as = (stored, window.values, arrived)
        if not burst.hold(connection, key, row, event, kept_as, now, policy, sealer):
            raise Duplicate
        return Taken(duplicate=False, place=f"{row['flow']}.{row['state']}")
    taken_as = (stored, window.values, arrived)
    return _step(connection, key, row, event, taken_as, now, policy, sealer, hooks)


def step_held_tx(
    connection: Connection,
    key: str,
    closing: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    hooks: StepHooks,
) -> Taken | None:
    """The burst job's unit of work: step the conversation's held texts as one turn when the
    text `closing` is still the last one held (a later text's job does it otherwise); None when
    there was nothing to do."""
    row = locked(connection, key)
    texts = burst.held_texts(row, sealer) if row is not None else []
    if not texts or texts[-1]["id"] != closing:
        return None
    return _step_held(connection, key, row, now, policy, sealer, hooks)


def _step_held(
    connection: Connection,
    key: str,
    row: Any,
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    hooks: StepHooks,
) -> Taken:
    texts = burst.held_texts(row, sealer)
    event = burst.joined(texts)
    return _step(connection, key, row, event, [t["id"] for t in texts], now, policy, sealer, hooks)


def _step(
    connection: Connection,
    key: str,
    row: Any,
    event: Event,
    taken_as: tuple[dict[str, Any], dict[str, Any], bool] | list[str],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    hooks: StepHooks,
) -> Taken:
    """Step the conversation with `event` and write it all: `taken_as` is the event's kept
    payload, flood window and whether it arrived stored (a new event, deduplicated by its id),
    or the ids of the held texts `event` joins (already in the inbox, already read)."""
    message_id = event.message_id if isinstance(event, InboundEvent) else event.event_id
    # what the records add (what the customer owns: not from the slots)
    conversation = from_row(row, sealer)
    for enrich in hooks.enrich:
        conversation = enrich(connection, conversation, now)
    decision = installed().machine.step(conversation, event, now, policy)
    replies, defects = _checked(conversation, decision)
    place = str(decision.conversation.place)
    recipient = decision.conversation.address or row["address"]
    rows: list[dict[str, Any]] = []
    seq = row["outbox_seq"]
    # held texts were read as they came: only the typing is left to show, when a reply follows
    reads = isinstance(taken_as, tuple) or bool(replies)
    if isinstance(event, InboundEvent) and not isinstance(event, IdentityChanged) and reads:
        seq += 1
        # "typing…" only when a reply follows: not for a reaction, nor while a person has the chat
        read = {"message_id": message_id, "typing": bool(replies)}
        rows.append(outbox_row(key, seq, recipient, "read", read, None, now))
    for n, message in enumerate(replies):
        seq += 1
        message = _with_token(connection, key, message, now)
        encoded = outbound_at_rest(codec.encode(message), sealer)
        row_values = outbox_row(key, seq, recipient, "message", encoded, f"{message_id}#{n}", now)
        if isinstance(message, Text) and message.fallback is not None:
            fallback = outbound_at_rest(codec.encode(message.fallback), sealer)
            row_values["fallback"] = orjson.dumps(fallback).decode()
        elif isinstance(message, PixOrder | OrderStatus):  # what goes if Meta refuses it
            instead = [outbound_at_rest(codec.encode(m), sealer) for m in message.fallback]
            row_values["fallback"] = orjson.dumps(instead).decode()
        rows.append(row_values)
    values = to_values(decision.conversation, sealer)
    values.update(outbox_seq=seq, version=row["version"] + 1, updated_at=now, held=None)
    values["last_inbound_at"] = now if isinstance(event, InboundEvent) else row["last_inbound_at"]
    values["sensitive_until"] = sensitive_until(
        row, event, conversation, decision.conversation, now, policy, hooks
    )
    if isinstance(taken_as, list):
        values.update(flood_window_at=row["flood_window_at"], flood_count=row["flood_count"])
        outcome = {
            "place": place,
            "defects": orjson.dumps(defects).decode() if defects else None,
            "not_understood": int(decision.not_understood),
        }
        write_held_step(connection, key, taken_as, outcome, rows, values)
    else:
        stored, window_values, arrived = taken_as
        inbox_values = inbox_row(message_id, key, event, stored, now, place, defects)
        inbox_values["not_understood"] = int(decision.not_understood)
        values.update(window_values)
        # Deduplicate by message id: the conversation lock serializes deliveries of one user,
        # so a duplicate finds the first delivery's inbox row here and writes nothing.
        if not write_step(connection, key, inbox_values, rows, values, arrived=arrived):
            raise Duplicate
    apply_commands(connection, key, decision.commands, now, sealer)
    for after_step in hooks.after_step:
        after_step(connection, key, conversation, decision, now)
    return Taken(duplicate=False, replies=len(replies), defects=tuple(defects), place=place)


def _take_in_flooded(
    connection: Connection,
    key: str,
    message_id: str,
    event: Event,
    kept: tuple[dict[str, Any], flood.Window, bool],
    row: Any,
    now: datetime,
) -> Taken:
    """A message over the user's flood limit: kept in the inbox, not stepped; the conversation
    is saved as it was (its window counted). The first one over the limit gets the notice, and
    no message of the flood gets a read receipt (platform/inbound/flood.py)."""
    stored, window, arrived = kept
    place = f"{row['flow']}.{row['state']}"
    inbox_values = inbox_row(message_id, key, event, stored, now, place, [])
    rows, seq = [], row["outbox_seq"]
    if window.notify:
        seq += 1
        notice = codec.encode(flood.notice())
        rows.append(outbox_row(key, seq, row["address"], "message", notice, f"{message_id}#0", now))
        log.warning("a user passed the flood limit: slowed down until the minute ends")
    values = {name: row[name] for name in SAVE_COLUMNS}
    values.update(window.values)
    values.update(outbox_seq=seq, version=row["version"] + 1, updated_at=now, last_inbound_at=now)
    if not write_step(connection, key, inbox_values, rows, values, arrived=arrived):
        raise Duplicate
    return Taken(duplicate=False, replies=len(rows))
