"""One inbound event, one transaction: lock the conversation, deduplicate, step, save, enqueue.

A crash anywhere before the commit leaves nothing behind (Meta redelivers, we process it then);
after the commit the message is deduplicated forever by its id, and its replies are in the
outbox, which the sender drains in order. Nothing is acknowledged before it is committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    select,
    update,
)

from dresbach.features.client_area.model import (
    SESSION_SLOT,
    EndSession,
    LoginChecked,
    SecondFactorChecked,
)
from dresbach.features.handoff import flow as handoff
from dresbach.features.techops.holdings import owned_by
from dresbach.kernel import codec
from dresbach.kernel.conversation import Conversation, Decision, Place
from dresbach.kernel.events import (
    Event,
    IdentityChanged,
    InboundEvent,
    InternalEvent,
    StatusReported,
    TextReceived,
)
from dresbach.kernel.limits import violations
from dresbach.kernel.machine.registry import FLOWS
from dresbach.kernel.machine.router import step
from dresbach.kernel.messages import Text
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound import flood
from dresbach.platform.observe import audit
from dresbach.platform.observe.correlation import bound, correlation_id_for
from dresbach.platform.observe.redaction import REDACTED, mask_documents_in
from dresbach.platform.store.database import utc
from dresbach.platform.store.records import from_row, to_values
from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore, is_postgres
from dresbach.platform.store.step_writes import SAVE_COLUMNS, write_step
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


_LOAD = select(conversations).where(conversations.c.key == bindparam("conversation_key"))
_LOCK = _LOAD.with_for_update()


def _lock(connection: Connection, key: str, address: str, event: Event, now: datetime) -> Any:
    """The conversation row, locked for this transaction; created when absent (one round trip
    when it exists, the common case)."""
    query = _LOCK if is_postgres(connection) else _LOAD
    found = connection.execute(query, {"conversation_key": key}).mappings().first()
    if found is not None:
        return found
    wa_id = user_id = None
    if isinstance(event, InboundEvent):
        wa_id, user_id = event.sender.wa_id, event.sender.user_id
        if user_id and wa_id and wa_id != key:
            _adopt_phone_keyed(connection, old_key=wa_id, new_key=key)
    insert_ignore(
        connection,
        conversations,
        {
            "key": key,
            "address": address,
            "wa_id": wa_id,
            "user_id": user_id,
            "flow": "menu",
            "state": "new",
            "slots": "{}",
            "trail": "[]",
            "outbox_seq": 0,
            "version": 0,
            "created_at": now,
            "updated_at": now,
        },
        ["key"],
    )
    return connection.execute(query, {"conversation_key": key}).mappings().one()


def _adopt_phone_keyed(connection: Connection, *, old_key: str, new_key: str) -> None:
    """A conversation begun before Meta sent BSUIDs is keyed by phone: move it to the BSUID."""
    exists = connection.execute(
        select(conversations.c.key).where(conversations.c.key == new_key)
    ).first()
    if exists is None:
        _rekey(connection, old_key, new_key)


def _rekey(connection: Connection, old_key: str, new_key: str) -> None:
    connection.execute(
        update(conversations).where(conversations.c.key == old_key).values(key=new_key)
    )
    connection.execute(
        update(outbox).where(outbox.c.conversation_key == old_key).values(conversation_key=new_key)
    )
    connection.execute(
        update(inbox).where(inbox.c.conversation_key == old_key).values(conversation_key=new_key)
    )


def _move_identity(connection: Connection, event: IdentityChanged) -> str:
    """Handle `user_changed_user_id` / `customer_changed_number`: the conversation follows."""
    old_key = event.sender.key
    new_key = event.new_user_id or (event.new_wa_id if not event.sender.user_id else None)
    if new_key and new_key != old_key:
        taken = connection.execute(
            select(conversations.c.key).where(conversations.c.key == new_key)
        ).first()
        if taken is None:
            _rekey(connection, old_key, new_key)
    if event.new_wa_id:
        connection.execute(
            update(conversations)
            .where(conversations.c.key == (new_key or old_key))
            .values(wa_id=event.new_wa_id, address=event.new_wa_id)
        )
    return new_key or old_key


def _redacted(payload: dict[str, Any]) -> dict[str, Any]:
    clean = dict(payload)
    if "text" in clean:
        clean["text"] = {"body": REDACTED}
    return clean


_META_FIELDS = frozenset(
    {"id", "from", "from_user_id", "timestamp", "type", "wa_id", "user_id", "sha256", "mime_type"}
)
"""Fields of an inbound message that Meta fills in (ids, numbers, kinds), never typed."""


def _masked(payload: dict[str, Any]) -> Any:
    """An inbound message as it is kept: every text in it (body, caption, file name, shared
    contact…) with its CPF/CNPJ and card numbers masked; Meta's own fields as they are."""
    return mask_documents_in(payload, _META_FIELDS)


_NEVER_TYPED = frozenset({"t", "link", "media_id", "upload_ref", "name", "language"})
"""Fields of an outbound message that are ours (kinds, media references, template names)."""


def outbound_at_rest(encoded: dict[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    """What the outbox keeps of a message: the message itself, unless it shows a CPF/CNPJ or a
    card (the customer's own, echoed for them to check). Then it is kept masked, for the
    console's history and the copy of the data, with the clear message sealed beside it for the
    sender, who drops the seal once it is sent. Without a sealer, only the masked message is
    kept (and sent)."""
    masked = mask_documents_in(encoded, _NEVER_TYPED)
    if masked == encoded:
        return encoded
    if sealer is None:
        log.warning("an outbound message shows a document and there is no sealer: sent masked")
        return dict(masked)
    return {**masked, "sealed": sealer.seal(orjson.dumps(encoded).decode())}


def _is_sensitive(place: Place) -> bool:
    flow = FLOWS.get(place.flow)
    return bool(flow and place.state in flow.states and flow.states[place.state].sensitive)


def _in_sensitive_window(row: Any, now: datetime) -> bool:
    """Within the minutes after a login failure, a lockout or a logout (`_opens_window`): what
    the customer types may be the password again, so it is not kept. Not while a person has the
    chat (or is about to): the person must read what the customer writes."""
    until = utc(row["sensitive_until"])
    return until is not None and until > now and row["flow"] != handoff.FLOW.name


def _opens_window(event: Event, before: Conversation, after: Conversation) -> bool:
    """A login refused or locked, a second factor refused, a session ended, or a sensitive
    question left for another flow (the customer may type the secret again where it is not
    expected)."""
    if isinstance(event, LoginChecked):
        return event.result in ("failed", "locked")
    if isinstance(event, SecondFactorChecked):
        return event.result in ("failed", "locked", "expired")
    if before.slots.get(SESSION_SLOT) and not after.slots.get(SESSION_SLOT):
        return True
    return (
        _is_sensitive(before.place)
        and not _is_sensitive(after.place)
        and before.place.flow != after.place.flow
    )


def _sensitive_until(
    row: Any, event: Event, before: Conversation, after: Conversation, now: datetime, policy: Policy
) -> datetime | None:
    if _opens_window(event, before, after):
        return now + policy.sensitive_window
    if after.slots.get(SESSION_SLOT) and not before.slots.get(SESSION_SLOT):
        return None  # logged in: what follows is the client's requests
    return utc(row["sensitive_until"])


def _checked(before: Conversation, decision: Decision) -> tuple[list[Any], list[str]]:
    """The replies that may be sent, and a defect for each one that may not: WhatsApp's limits,
    then the guards of the flows the conversation was in and went to (e.g. no price before the
    Tech Ops offer)."""
    allowed, defects = [], list(decision.defects)
    guards = []
    for conversation in (before, decision.conversation):
        flow = FLOWS.get(conversation.place.flow)
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


def take_in(
    engine: Engine,
    event: Event,
    payload: dict[str, Any],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None = None,
) -> Taken:
    """Process one event exactly once, in its own transaction. `payload` is the raw message
    object (or the internal event's fields), kept in the inbox."""
    try:
        with engine.begin() as connection:
            taken = take_in_tx(connection, event, payload, now, policy, sealer)
    except Duplicate:
        return Taken(duplicate=True)
    for defect in taken.defects:
        log.error("conversation defect: %s", defect)
    return taken


def event_id(event: Event) -> str:
    """The id an event is deduplicated by: the wamid, or an internal event's id."""
    if isinstance(event, InboundEvent):
        return event.message_id
    assert isinstance(event, InternalEvent)
    return event.event_id


def take_in_many(
    engine: Engine,
    items: list[tuple[Event, dict[str, Any]]],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None = None,
    observe_step: Callable[[float], None] | None = None,
) -> list[Taken | Exception]:
    """Several events in one transaction (group commit), each under its own savepoint: a
    duplicate or a failure rolls back that event alone. Each event's work is logged under its
    correlation id, and its duration given to `observe_step`."""
    outcomes: list[Taken | Exception] = []
    with engine.begin() as connection:
        for event, payload in items:
            with bound(correlation_id_for(event_id(event))):
                started = time.perf_counter()
                try:
                    with connection.begin_nested():
                        taken = take_in_tx(connection, event, payload, now, policy, sealer)
                except Duplicate:
                    outcomes.append(Taken(duplicate=True))
                    log.info("duplicate ignored", extra={"kind": event.kind})
                except Exception as error:
                    log.exception("could not take an event in", extra={"kind": event.kind})
                    outcomes.append(error)
                else:
                    outcomes.append(taken)
                    elapsed = time.perf_counter() - started
                    if observe_step is not None:
                        observe_step(elapsed)
                    _log_step(event, taken, elapsed)
    for outcome in outcomes:
        if isinstance(outcome, Taken):
            for defect in outcome.defects:
                log.error("conversation defect: %s", defect)
    return outcomes


def deliver(
    connection: Connection,
    event: InternalEvent,
    payload: dict[str, Any],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
) -> bool:
    """Step a conversation with an internal event inside the caller's transaction, under a
    savepoint; False when the event was taken in before. `sealer` is required in spirit: without
    it the conversation's `secret.*` slots are stepped sealed, and what the flow derives from
    them (a masked CNPJ) is garbage."""
    try:
        with connection.begin_nested():
            take_in_tx(connection, event, payload, now, policy, sealer)
    except Duplicate:
        return False
    return True


def _log_step(event: Event, taken: Taken, seconds: float) -> None:
    if log.isEnabledFor(logging.INFO):
        log.info(
            "event taken in",
            extra={
                "kind": event.kind,
                "place": taken.place,
                "replies": taken.replies,
                "duration_ms": round(seconds * 1000, 2),
            },
        )


def take_in_tx(
    connection: Connection,
    event: Event,
    payload: dict[str, Any],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None = None,
) -> Taken:
    """The unit of work inside a caller's transaction (raises Duplicate to roll it back)."""
    if isinstance(event, InboundEvent):
        message_id, key, address = event.message_id, event.sender.key, event.sender.address
        if isinstance(event, IdentityChanged):
            key = _move_identity(connection, event)
            address = event.new_wa_id or address
    else:
        assert isinstance(event, InternalEvent)
        message_id, key, address = event.event_id, event.conversation_key, ""
    row = _lock(connection, key, address, event, now)
    stored = payload
    if isinstance(event, InboundEvent):
        sensitive = _is_sensitive(Place(flow=row["flow"], state=row["state"]))
        if isinstance(event, TextReceived) and (sensitive or _in_sensitive_window(row, now)):
            stored = _redacted(payload)
        else:
            stored = _masked(payload)
    window = flood.count(row, event, now, policy.flood_per_minute)
    if window.throttled:
        return _take_in_flooded(connection, key, message_id, event, stored, row, window, now)
    # what the customer owns comes from the records, not from the slots
    # (features/techops/holdings.py)
    conversation = replace(from_row(row, sealer), owned=owned_by(connection, key, now))
    decision = step(conversation, event, now, policy)
    replies, defects = _checked(conversation, decision)
    inbox_row = {
        "message_id": message_id,
        "conversation_key": key,
        "kind": event.kind,
        "payload": orjson.dumps(stored).decode(),
        "received_at": now,
        "place": str(decision.conversation.place),
        "defects": orjson.dumps(defects).decode() if defects else None,
        "not_understood": int(decision.not_understood),
    }
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
    values["sensitive_until"] = _sensitive_until(
        row, event, conversation, decision.conversation, now, policy
    )
    values.update(window.values)
    # Deduplicate by message id: the conversation lock serializes deliveries of one user, so a
    # duplicate finds the first delivery's inbox row here and writes nothing.
    if not write_step(connection, key, inbox_row, rows, values):
        raise Duplicate
    apply_commands(connection, key, decision.commands, now, sealer)
    _audit_session_end(connection, key, conversation, decision, now)
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
    inbox_row = {
        "message_id": message_id,
        "conversation_key": key,
        "kind": event.kind,
        "payload": orjson.dumps(stored).decode(),
        "received_at": now,
        "place": f"{row['flow']}.{row['state']}",
        "defects": None,
        "not_understood": 0,
    }
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


def _audit_session_end(
    connection: Connection,
    key: str,
    before: Conversation,
    decision: Decision,
    now: datetime,
) -> None:
    """A client-area session that ends without the flow saying so (sair, menu, the router's own
    timeout) is still recorded in the audit log."""
    client = before.slots.get(SESSION_SLOT)
    if not client or decision.conversation.slots.get(SESSION_SLOT):
        return
    if any(isinstance(c, EndSession) for c in decision.commands):
        return
    audit.record(
        connection,
        who=key,
        action="session_ended",
        now=now,
        detail=f"client {client}: left ({decision.conversation.place})",
    )


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


def record_statuses(engine: Engine, statuses: list[StatusReported]) -> int:
    """Store delivery statuses; a status never goes backwards and `failed` is final."""
    changed = 0
    if not statuses:
        return 0
    with engine.begin() as connection:
        for status in statuses:
            values: dict[str, Any] = {
                "delivery_status": status.status,
                "delivery_rank": status.rank,
            }
            if status.error_code is not None:
                values["last_error"] = f"{status.error_code} {status.error_title or ''}".strip()
            result = connection.execute(
                update(outbox)
                .where(
                    outbox.c.wamid == status.wamid,
                    outbox.c.delivery_rank < status.rank,
                    outbox.c.delivery_rank < 9,
                )
                .values(values)
            )
            changed += result.rowcount
    return changed
