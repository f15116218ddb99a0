"""Hand-offs asked for by the conversation: opened once per conversation (the context gathered,
the place in the queue told, on-duty operators notified by template), the customer's messages
and departure marked, and customers nobody answered in time told once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError

from dresbach.features.handoff import context as handoff_context
from dresbach.features.handoff.flow.texts import HANDOFF_WAITING
from dresbach.features.handoff.model import HandOffQueued, HandOffUnanswered
from dresbach.features.handoff.records import Ended, join, open_of, position
from dresbach.features.handoff.teams import roster
from dresbach.kernel import codec
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.store.database import utc
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import handoffs, operators, outbox
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Opened:
    """What opening a hand-off did; the service then opens the desk conversation if needed."""

    handoff_id: int
    created: bool
    status: str
    desk_conversation_id: str | None
    contact_name: str
    address: str
    note: str


# ---- opening ---------------------------------------------------------------------------------


def _assign(
    connection: Connection,
    row: Any,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
) -> str | None:
    """A customer's new hand-off to a team that assigns goes at once to its least busy member
    on duty (the customer hears who joined, not a place in line); who, or None. A
    consultant's waits for its meeting."""
    if row["status"] != "waiting" or row["reason"] != "customer" or row["team"] is None:
        return None
    team = roster.by_slug(connection, row["team"])
    if team is None or not team["auto_assign"]:
        return None
    operator = roster.least_busy(connection, team, now, policy)
    if operator is not None:
        join(connection, row, operator, now, policy, sealer, hooks, action="handoff_assigned")
    return operator


def _notify_operators(
    connection: Connection, row: Any, customer: str, now: datetime, assigned: str | None
) -> int:
    """A template to every on-duty operator with a phone (of the hand-off's team, when it has
    members; only the one it was assigned to, if so): they have usually not written in the
    last 24 hours. One outbox queue per operator and hand-off, so a retry adds nothing."""
    handoff_id, reason = row["id"], row["reason"]
    query = select(operators.c.username, operators.c.phone).where(
        operators.c.on_duty == 1, operators.c.phone.is_not(None)
    )
    team = roster.by_slug(connection, row["team"]) if row["team"] else None
    members = roster.member_ids(connection, team["id"]) if team is not None else []
    if assigned is not None:
        query = query.where(operators.c.username == assigned)
    elif members:
        query = query.where(operators.c.id.in_(members))
    rows = connection.execute(query).all()
    message = HANDOFF_WAITING.message(customer, handoff_context.reason_pt(reason))
    sent = 0
    for username, phone in rows:
        number = "".join(c for c in phone or "" if c.isdigit())
        if not number:
            continue
        sent += insert_ignore(
            connection,
            outbox,
            {
                "conversation_key": f"operator:{username}:handoff:{handoff_id}",
                "seq": 1,
                "recipient": number,
                "kind": "message",
                "payload": orjson.dumps(codec.encode(message)).decode(),
                "fallback": None,
                "callback_data": f"handoff:{handoff_id}:notify",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "delivery_rank": 0,
                "created_at": now,
            },
            ["conversation_key", "seq"],
        )
    return sent


def _insert(
    connection: Connection, request_id: str, key: str, payload: dict[str, Any], now: datetime
) -> tuple[Any, bool]:
    """The hand-off of this request: inserted, or the conversation's open one (created False)."""
    same = (
        connection.execute(select(handoffs).where(handoffs.c.request_id == request_id))
        .mappings()
        .first()
    )
    if same is not None:  # the same job ran twice
        return same, False
    reason = str(payload.get("reason") or "customer")
    topic = str(payload.get("topic") or ("meeting" if reason == "consultant" else "support"))
    team = roster.routed(connection, topic)
    context = handoff_context.gather(
        connection,
        key,
        reason=reason,
        flow=str(payload.get("flow") or ""),
        lead_id=payload.get("lead_id"),
        booking_id=payload.get("booking_id"),
    )
    context["topic"] = topic
    try:
        with connection.begin_nested():
            connection.execute(
                handoffs.insert().values(
                    request_id=request_id,
                    conversation_key=key,
                    status="waiting",
                    reason=reason,
                    flow=str(payload.get("flow") or "")[:40],
                    context=orjson.dumps(context).decode(),
                    lead_id=(context["lead"] or {}).get("lead_id"),
                    booking_id=(context["booking"] or {}).get("booking_id"),
                    requested_at=now,
                    team=team["slug"] if team is not None else None,
                )
            )
    except IntegrityError:  # another request of this conversation is open: it is the one
        existing = open_of(connection, key)
        if existing is None:  # the same request, inserted by a concurrent run of the job
            existing = (
                connection.execute(select(handoffs).where(handoffs.c.request_id == request_id))
                .mappings()
                .one()
            )
        elif (existing["status"], existing["reason"], reason) == (
            "waiting",
            "consultant",
            "customer",
        ):
            # The customer now waits for a person too: the wait starts now.
            connection.execute(
                update(handoffs)
                .where(handoffs.c.id == existing["id"])
                .values(
                    reason="customer",
                    requested_at=now,
                    team=team["slug"] if team is not None else existing["team"],
                )
            )
            existing = open_of(connection, key)
        return existing, False
    row = (
        connection.execute(select(handoffs).where(handoffs.c.request_id == request_id))
        .mappings()
        .one()
    )
    return row, True


def open_handoff(
    engine: Engine,
    request_id: str,
    key: str,
    payload: dict[str, Any],
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
) -> Opened:
    """Open (once) the hand-off a `RequestHandOff` asked for, tell the conversation its place
    in the queue, and notify the on-duty operators of a new one."""
    with engine.begin() as connection:
        row, created = _insert(connection, request_id, key, payload, now)
        context = orjson.loads(row["context"])
        customer = context.get("customer") or {}
        label = handoff_context.customer_label(customer.get("name"), customer.get("address") or key)
        assigned = _assign(connection, row, now, policy, sealer, hooks) if created else None
        if row["status"] == "waiting" and assigned is None:
            hours = policy.support_hours
            deliver(
                connection,
                HandOffQueued(
                    event_id=f"{request_id}:queued",
                    conversation_key=key,
                    timestamp=now,
                    handoff_id=str(row["id"]),
                    position=position(connection, row, now),
                    open_now=hours.is_open(now),
                    opens_at=hours.next_open(now),
                ),
                now,
                policy,
                sealer,
                hooks,
            )
        if created:
            _notify_operators(connection, row, label, now, assigned)
        else:
            log.info("hand-off %s already open for this conversation", row["id"])
        return Opened(
            handoff_id=int(row["id"]),
            created=created,
            status="active" if assigned is not None else row["status"],
            desk_conversation_id=row["desk_conversation_id"],
            contact_name=label,
            address=str(customer.get("address") or key),
            note=handoff_context.note_text(int(row["id"]), context),
        )


def set_desk_conversation(engine: Engine, handoff_id: int, desk_conversation_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(handoffs)
            .where(handoffs.c.id == handoff_id)
            .values(desk_conversation_id=desk_conversation_id)
        )


# ---- the customer's side -----------------------------------------------------------------------


def customer_wrote(engine: Engine, key: str, now: datetime) -> Any:
    """Mark the open hand-off's last customer message; return the hand-off (None if none)."""
    with engine.begin() as connection:
        row = open_of(connection, key)
        if row is not None:
            connection.execute(
                update(handoffs).where(handoffs.c.id == row["id"]).values(last_customer_at=now)
            )
    return row


def customer_left(engine: Engine, key: str, reason: str, now: datetime) -> Ended | None:
    """The customer left the human or stopped waiting: back to the bot. A retried job finds
    the hand-off it ended (to resolve it at the desk again, which is harmless)."""
    with engine.begin() as connection:
        row = open_of(connection, key)
        if row is None:
            last = (
                connection.execute(
                    select(handoffs)
                    .where(handoffs.c.conversation_key == key)
                    .order_by(handoffs.c.id.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
            if last is not None and last["ended_by"] == "customer":
                return Ended(
                    handoff_id=int(last["id"]),
                    desk_conversation_id=last["desk_conversation_id"],
                )
            return None
        connection.execute(
            update(handoffs)
            .where(handoffs.c.id == row["id"])
            .values(status="returned", ended_at=now, ended_by="customer", end_reason=reason[:40])
        )
        return Ended(handoff_id=int(row["id"]), desk_conversation_id=row["desk_conversation_id"])


def callback_requested(engine: Engine, key: str, now: datetime) -> bool:
    """The customer asked to be called back; the hand-off stays in the queue, marked."""
    with engine.begin() as connection:
        row = open_of(connection, key)
        if row is None:
            return False
        connection.execute(
            update(handoffs).where(handoffs.c.id == row["id"]).values(callback_requested_at=now)
        )
        return True


# ---- timers ----------------------------------------------------------------------------------


def unanswered(
    engine: Engine, now: datetime, policy: Policy, sealer: Sealer, hooks: StepHooks
) -> int:
    """Customers waiting longer than `handoff_wait` for a person are told, once. The wait counts
    from the request, or from the next opening of support hours when asked outside them."""
    told = 0
    hours = policy.support_hours
    with engine.begin() as connection:
        rows = (
            connection.execute(
                select(handoffs).where(
                    handoffs.c.status == "waiting",
                    handoffs.c.reason == "customer",
                    handoffs.c.unanswered_at.is_(None),
                )
            )
            .mappings()
            .all()
        )
        for row in rows:
            requested_at = utc(row["requested_at"])
            assert requested_at is not None
            start = max(requested_at, hours.next_open(requested_at) or requested_at)
            if now - start < policy.handoff_wait:
                continue
            marked = connection.execute(
                update(handoffs)
                .where(handoffs.c.id == row["id"], handoffs.c.unanswered_at.is_(None))
                .values(unanswered_at=now)
            ).rowcount
            if marked:
                told += deliver(
                    connection,
                    HandOffUnanswered(
                        event_id=f"handoff:{row['id']}:unanswered",
                        conversation_key=row["conversation_key"],
                        timestamp=now,
                        handoff_id=str(row["id"]),
                    ),
                    now,
                    policy,
                    sealer,
                    hooks,
                )
    return told
