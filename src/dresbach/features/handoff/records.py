"""Hand-offs in the database, the operators' side: moved waiting → active → returned | closed
under a row lock, each move audited by name and its news delivered to the conversation (once, by
event id) in the same transaction. The conversation's side is in `handoff_requests`.

Errors an operator can act on are `HandOffError`, whose message is pt-BR, for the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, or_, select, update

from dresbach.features.handoff.model import HumanJoined, HumanLeft, OperatorSaid, SentFile
from dresbach.kernel.limits import CAPTION, TEXT_BODY
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import installed
from dresbach.platform.inbound.door import deliver
from dresbach.platform.observe import audit
from dresbach.platform.store.database import utc
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import (
    bookings,
    conversations,
    handoff_transfers,
    handoffs,
    media_blobs,
    operators,
)
from dresbach.platform.store.sealing import Sealer

OPEN = ("waiting", "active")
NOT_FOUND = "Atendimento não encontrado."
ENDED = "Este atendimento já foi encerrado."
OUTSIDE_WINDOW = (
    "A última mensagem do cliente tem mais de 24 horas: fora dessa janela o WhatsApp só aceita "
    "modelos aprovados, e um arquivo não vai assim. Envie uma resposta em texto."
)
WINDOW = timedelta(hours=24)


class HandOffError(ValueError):
    """An operator action that cannot be done; the message is pt-BR, for the console."""


class PriceWarning(HandOffError):
    """A reply states an amount before the customer's diagnosis: sent only once the operator
    confirms it (the features' `Feature.price_rule`: Tech Ops' `price_before_diagnosis`)."""


PRICE_WARNING = (
    "Esta mensagem cita um valor, e este cliente ainda não fez o diagnóstico. A regra da "
    "empresa é não informar preço de projeto antes do diagnóstico pago. Revise a mensagem ou "
    "confirme que quer enviá-la assim."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ended:
    """A hand-off that left the queue; `desk_conversation_id` is to be resolved at the desk."""

    handoff_id: int
    desk_conversation_id: str | None


# ---- plumbing --------------------------------------------------------------------------------


def locked(connection: Connection, handoff_id: int) -> Any:
    query = select(handoffs).where(handoffs.c.id == handoff_id)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).mappings().first()
    if row is None:
        raise HandOffError(NOT_FOUND)
    return row


def open_of(connection: Connection, key: str) -> Any:
    query = select(handoffs).where(handoffs.c.conversation_key == key, handoffs.c.status.in_(OPEN))
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return connection.execute(query).mappings().first()


def display_name(connection: Connection, operator: str, fallback: str | None = None) -> str:
    """The name the customer sees: the console account's display name, else `fallback` (a
    Chatwoot agent's name), else the username."""
    found = connection.execute(
        select(operators.c.display_name).where(operators.c.username == operator)
    ).scalar()
    return str(found or fallback or operator)


def in_line(now: datetime) -> ColumnElement[bool]:
    """A waiting hand-off someone is waiting on now. A consultant's hand-off, opened when a
    meeting was booked, waits for that meeting: it joins the line when the meeting's time
    comes, and until then nobody asking for a person now is told to wait behind it."""
    meeting_later = (
        select(bookings.c.booking_id)
        .where(
            bookings.c.conversation_key == handoffs.c.conversation_key,
            bookings.c.status == "booked",
            bookings.c.start_at > now,
        )
        .exists()
    )
    return and_(
        handoffs.c.status == "waiting",
        or_(handoffs.c.reason != "consultant", ~meeting_later),
    )


def same_team(team: str | None) -> ColumnElement[bool]:
    """Hand-offs in the queue of `team` (None: the queue of no team)."""
    return handoffs.c.team.is_(None) if team is None else handoffs.c.team == team


def position(connection: Connection, row: Any, now: datetime) -> int:
    """1 for the oldest hand-off in line now (`in_line`) in its team's queue."""
    requested_at = row["requested_at"]
    ahead = connection.execute(
        select(func.count())
        .select_from(handoffs)
        .where(
            in_line(now),
            same_team(row["team"]),
            or_(
                handoffs.c.requested_at < requested_at,
                (handoffs.c.requested_at == requested_at) & (handoffs.c.id < row["id"]),
            ),
        )
    ).scalar()
    return int(ahead or 0) + 1


def audited(
    connection: Connection, operator: str, action: str, row: Any, now: datetime, extra: str = ""
) -> None:
    audit.record(
        connection,
        who=operator,
        action=action,
        now=now,
        detail=f"atendimento {row['id']} ({audit.mask_key(row['conversation_key'])}){extra}",
        mask=False,
    )


# ---- operators' actions ------------------------------------------------------------------------


def take(
    engine: Engine,
    handoff_id: int,
    operator: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    shown_as: str | None = None,
) -> bool:
    """The operator takes a waiting hand-off. False when they already had it."""
    with engine.begin() as connection:
        row = locked(connection, handoff_id)
        if row["status"] == "active":
            if row["taken_by"] == operator:
                return False
            raise HandOffError(f"Este atendimento já está com {row['taken_by']}.")
        if row["status"] != "waiting":
            raise HandOffError(ENDED)
        join(connection, row, operator, now, policy, sealer, hooks, shown_as=shown_as)
        return True


def join(
    connection: Connection,
    row: Any,
    operator: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    action: str = "handoff_taken",
    shown_as: str | None = None,
) -> None:
    """`operator` now has the hand-off (taken, assigned or transferred): audited, and the
    customer told who joined. Each join after a transfer is news of its own."""
    connection.execute(
        update(handoffs)
        .where(handoffs.c.id == row["id"])
        .values(status="active", taken_by=operator[:80], taken_at=now)
    )
    audited(connection, operator, action, row, now)
    moved = connection.execute(
        select(func.count()).where(handoff_transfers.c.handoff_id == row["id"])
    ).scalar()
    deliver(
        connection,
        HumanJoined(
            event_id=f"handoff:{row['id']}:taken" + (f":{moved}" if moved else ""),
            conversation_key=row["conversation_key"],
            timestamp=now,
            handoff_id=str(row["id"]),
            operator=display_name(connection, operator, shown_as),
        ),
        now,
        policy,
        sealer,
        hooks,
    )


def check_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise HandOffError("Escreva a mensagem antes de enviar.")
    if len(text) > TEXT_BODY:
        raise HandOffError(
            f"A mensagem tem {len(text)} caracteres; o WhatsApp aceita até {TEXT_BODY}."
        )
    return text


def check_caption(body: str) -> str:
    text = body.strip()
    if len(text) > CAPTION:
        raise HandOffError(
            f"A legenda tem {len(text)} caracteres; o WhatsApp aceita até {CAPTION}."
        )
    return text


def _keep_file(connection: Connection, key: str, file: SentFile, now: datetime) -> None:
    """The operator's file, kept for the sender to upload; refused outside the 24 h window."""
    last = utc(
        connection.execute(
            select(conversations.c.last_inbound_at).where(conversations.c.key == key)
        ).scalar()
    )
    if last is None or now - last >= WINDOW:
        raise HandOffError(OUTSIDE_WINDOW)
    connection.execute(
        media_blobs.insert().values(
            ref=file.ref,
            mime_type=file.mime_type,
            filename=file.filename,
            data=file.data,
            created_at=now,
        )
    )


def reply(
    engine: Engine,
    handoff_id: int,
    operator: str,
    body: str,
    reply_key: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    shown_as: str | None = None,
    any_operator: bool = False,
    price_rule: bool = False,
    price_confirmed: bool = False,
    file: SentFile | None = None,
) -> bool:
    """An operator's message to the customer; False when this reply (`reply_key`) was taken in
    before. Only the operator who took the hand-off may reply, unless `any_operator` (a desk
    that assigns its own agents). With `price_rule` (the console), a text that states an amount
    before the customer's diagnosis raises `PriceWarning` unless `price_confirmed`, and a
    confirmed one is audited as such. With `file`, `body` is its caption (may be empty)."""
    text = check_caption(body) if file is not None else check_body(body)
    with engine.begin() as connection:
        row = locked(connection, handoff_id)
        if row["status"] == "waiting":
            raise HandOffError("Assuma o atendimento antes de responder.")
        if row["status"] != "active":
            raise HandOffError(ENDED)
        if not any_operator and row["taken_by"] != operator:
            raise HandOffError(
                f"Este atendimento está com {row['taken_by']}: só quem assumiu pode responder."
            )
        priced = price_rule and any(
            rule(connection, row, text, now, policy) for rule in installed().price_rules
        )
        if priced and not price_confirmed:
            raise PriceWarning(PRICE_WARNING)
        if file is not None:
            _keep_file(connection, row["conversation_key"], file, now)
        delivered = deliver(
            connection,
            OperatorSaid(
                event_id=f"handoff:{handoff_id}:reply:{reply_key}",
                conversation_key=row["conversation_key"],
                timestamp=now,
                handoff_id=str(handoff_id),
                operator=display_name(connection, operator, shown_as),
                body=text,
                file_ref=file.ref if file else None,
                file_kind=file.kind if file else None,
                file_name=file.filename if file else None,
            ),
            now,
            policy,
            sealer,
            hooks,
        )
        if delivered:
            if row["first_reply_at"] is None:  # for the reports' first-response time
                connection.execute(
                    update(handoffs).where(handoffs.c.id == handoff_id).values(first_reply_at=now)
                )
            audited(connection, operator, "handoff_file" if file else "handoff_reply", row, now)
            if priced:
                audited(connection, operator, "handoff_reply_price_confirmed", row, now)
        return delivered


def leave(
    engine: Engine,
    handoff_id: int,
    operator: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    closed: bool,
    shown_as: str | None = None,
    any_operator: bool = False,
    label: str | None = None,
) -> Ended:
    """Hand the conversation back to the bot (`closed` False) or close it, with the `label`
    (reason code) chosen. A hand-off being worked can only be left by the operator who took
    it, unless `any_operator`."""
    with engine.begin() as connection:
        row = locked(connection, handoff_id)
        if row["status"] not in OPEN:
            raise HandOffError(ENDED)
        if row["status"] == "active" and not any_operator and row["taken_by"] != operator:
            raise HandOffError(
                f"Este atendimento está com {row['taken_by']}: só quem assumiu pode encerrá-lo."
            )
        connection.execute(
            update(handoffs)
            .where(handoffs.c.id == handoff_id)
            .values(
                status="closed" if closed else "returned",
                ended_at=now,
                ended_by=operator[:80],
                end_reason="closed" if closed else "handed_back",
                label=label,
            )
        )
        action = "handoff_closed" if closed else "handoff_returned"
        audited(connection, operator, action, row, now, f"; motivo {label}" if label else "")
        deliver(
            connection,
            HumanLeft(
                event_id=f"handoff:{handoff_id}:left",
                conversation_key=row["conversation_key"],
                timestamp=now,
                handoff_id=str(handoff_id),
                operator=display_name(connection, operator, shown_as),
                closed=closed,
            ),
            now,
            policy,
            sealer,
            hooks,
        )
        return Ended(handoff_id=handoff_id, desk_conversation_id=row["desk_conversation_id"])


def open_by_desk_conversation(engine: Engine, desk_conversation_id: str) -> int | None:
    """The open hand-off mirrored in this desk conversation."""
    with engine.connect() as connection:
        found = connection.execute(
            select(handoffs.c.id).where(
                handoffs.c.desk_conversation_id == desk_conversation_id,
                handoffs.c.status.in_(OPEN),
            )
        ).scalar()
    return int(found) if found is not None else None
