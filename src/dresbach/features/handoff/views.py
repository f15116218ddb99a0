"""What the operator console shows: the queue of open hand-offs with their context, and a
conversation's whole history in both directions with each message's delivery status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from math import inf
from typing import Any, Literal

import orjson
from sqlalchemy import Engine, select

from dresbach.features.handoff import context as handoff_context
from dresbach.features.handoff.records import NOT_FOUND, OPEN, HandOffError, in_line
from dresbach.features.handoff.teams import roster
from dresbach.kernel import codec
from dresbach.kernel.messages import Document, Image, Template, visible_texts
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import conversations, handoffs, inbox, outbox

WINDOW = timedelta(hours=24)
"""WhatsApp's customer-service window: free-form messages only within 24 h of the last inbound."""

MEDIA_PT = {
    "image": "imagem",
    "document": "documento",
    "audio": "áudio",
    "video": "vídeo",
    "sticker": "figurinha",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueItem:
    handoff_id: int
    conversation_key: str
    status: str
    """`waiting` or `active`."""
    reason: str
    reason_text: str
    flow: str
    customer: str
    """The WhatsApp profile name, or the number masked."""
    profile_name: str | None
    requested_at: datetime
    waiting: timedelta
    """Since the request."""
    position: int | None
    """The place in line (1 = next); None once taken, and for a consultant's hand-off whose
    meeting is still to come (not in line yet: `handoff_records.in_line`)."""
    taken_by: str | None
    taken_at: datetime | None
    last_customer_at: datetime | None
    window_open: bool
    """Within 24 h of the customer's last message: a free-form reply may go; else a template."""
    unanswered: bool
    callback_requested: bool
    context: dict[str, Any]
    summary: tuple[str, ...]
    """The context in pt-BR, one fact a line."""
    team: str | None = None
    """The team's slug; None: everyone's queue."""
    team_name: str = ""
    """The team's name, or "Geral"."""

    @property
    def meeting(self) -> bool:
        """A consultant's case: its own list, not someone waiting."""
        return self.reason == "consultant" and self.status == "waiting"


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    at: datetime
    direction: Literal["in", "out", "event"]
    """`in` the customer wrote, `out` the bot or an operator, `event` a hand-off milestone."""
    author: str
    """"cliente", "assistente" or the operator's name."""
    text: str
    status: str | None = None
    """For `out`: pending, sent, delivered, read or failed."""
    template: bool = False
    media_id: str | None = None
    """For `in`: the id of the file the customer sent (kept by `platform/inbound/media.py`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class History:
    conversation_key: str
    profile_name: str | None
    window_open: bool
    entries: tuple[HistoryEntry, ...]


def _window_open(last_inbound_at: Any, now: datetime) -> bool:
    last = utc(last_inbound_at)
    return last is not None and now - last < WINDOW


def queue(engine: Engine, now: datetime) -> list[QueueItem]:
    """Waiting hand-offs first: those in line now (oldest first), then those waiting for a
    meeting still to come; then the ones being worked."""
    query = (
        select(
            handoffs,
            conversations.c.profile_name,
            conversations.c.address,
            conversations.c.last_inbound_at,
            in_line(now).label("in_line"),
        )
        .select_from(
            handoffs.outerjoin(conversations, conversations.c.key == handoffs.c.conversation_key)
        )
        .where(handoffs.c.status.in_(OPEN))
        .order_by(handoffs.c.requested_at, handoffs.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
        contexts = {row["id"]: handoff_context.current(connection, row) for row in rows}
        names = roster.team_names(connection)
    items: list[QueueItem] = []
    waiting = [r for r in rows if r["status"] == "waiting" and r["in_line"]]
    later = [r for r in rows if r["status"] == "waiting" and not r["in_line"]]
    active = sorted(
        (r for r in rows if r["status"] == "active"),
        key=lambda r: (utc(r["taken_at"]) or now, r["id"]),
    )
    counted: dict[str | None, int] = {}
    placed = []
    for row in waiting:  # the place in line is within the team's queue
        counted[row["team"]] = counted.get(row["team"], 0) + 1
        placed.append((counted[row["team"]], row))
    for place, row in placed + [(None, r) for r in (*later, *active)]:
        context = contexts[row["id"]]
        requested_at = utc(row["requested_at"])
        assert requested_at is not None
        items.append(
            QueueItem(
                handoff_id=int(row["id"]),
                conversation_key=row["conversation_key"],
                status=row["status"],
                reason=row["reason"],
                reason_text=handoff_context.reason_pt(row["reason"]),
                flow=row["flow"],
                customer=handoff_context.customer_label(
                    row["profile_name"], row["address"] or row["conversation_key"]
                ),
                profile_name=row["profile_name"],
                requested_at=requested_at,
                waiting=max(now - requested_at, timedelta(0)),
                position=place,
                taken_by=row["taken_by"],
                taken_at=utc(row["taken_at"]),
                last_customer_at=utc(row["last_customer_at"]),
                window_open=_window_open(row["last_inbound_at"], now),
                unanswered=row["unanswered_at"] is not None,
                callback_requested=row["callback_requested_at"] is not None,
                context=context,
                summary=tuple(handoff_context.summary_lines(context)),
                team=row["team"],
                team_name=names.get(row["team"] or "", "Geral"),
            )
        )
    return items


# ---- history ---------------------------------------------------------------------------------


def inbound_text(kind: str, payload: dict[str, Any]) -> str | None:
    """Readable text of what the customer sent (the raw WhatsApp message in the inbox)."""
    if kind == "text":
        return str((payload.get("text") or {}).get("body", ""))
    if kind == "choice":
        interactive = payload.get("interactive") or {}
        chosen = interactive.get("button_reply") or interactive.get("list_reply")
        if chosen:
            return str(chosen.get("title", ""))
        return str((payload.get("button") or {}).get("text", ""))
    if kind == "media":
        media_kind = str(payload.get("type", ""))
        media = payload.get(media_kind) or {}
        extra = media.get("caption") or media.get("filename") or ""
        return f"[{MEDIA_PT.get(media_kind, 'arquivo')}] {extra}".strip()
    if kind == "location":
        place = payload.get("location") or {}
        return f"[localização] {place.get('name') or place.get('address') or ''}".strip()
    if kind == "contacts":
        return "[contato compartilhado]"
    if kind == "flow_reply":
        return "[formulário enviado]"
    if kind == "unsupported":
        return "[mensagem de um tipo não suportado]"
    return None


def _operator_text(payload: dict[str, Any]) -> str:
    """An operator's reply; a file they sent as `[imagem]` or `[documento name]`, its caption."""
    body = str(payload.get("body") or "")
    kind, name = payload.get("file_kind"), str(payload.get("file_name") or "")
    if kind not in ("image", "document"):  # a text reply (the payload says "None")
        return body
    shown = f" {name}" if kind == "document" and name not in ("", "None") else ""
    return f"[{MEDIA_PT[kind]}{shown}] {body}".strip()


def _media_id(row: Any, payload: dict[str, Any]) -> str | None:
    if row["kind"] != "media":
        return None
    found = (payload.get(str(payload.get("type", ""))) or {}).get("id")
    return str(found) if found else None


def _event_text(kind: str, payload: dict[str, Any]) -> str | None:
    """pt-BR for the hand-off milestones; other internal events are not shown."""
    operator = payload.get("operator", "")
    if kind == "handoff_queued":
        return f"Entrou na fila de atendimento (posição {payload.get('position', '?')})."
    if kind == "human_joined":
        return f"{operator} assumiu o atendimento."
    if kind == "human_left":
        if payload.get("closed") == "True":
            return f"{operator} encerrou o atendimento."
        return f"{operator} devolveu a conversa ao assistente."
    if kind == "handoff_unanswered":
        return "Ninguém assumiu o atendimento no tempo previsto."
    return None


def delivery_status(row: Any) -> str:
    if row["status"] == "dead" or row["delivery_status"] == "failed":
        return "failed"
    if row["delivery_status"] in ("delivered", "read"):
        return str(row["delivery_status"])
    if row["delivery_status"] == "played":
        return "read"
    return "sent" if row["status"] == "sent" else "pending"


def _outbound(payload: str) -> tuple[str, bool]:
    message = codec.decode(orjson.loads(payload))
    texts = list(visible_texts(message))
    if isinstance(message, Template):
        return f"[modelo {message.name}] " + " | ".join(message.body_params), True
    if isinstance(message, Image):
        texts.insert(0, "[imagem]")
    elif isinstance(message, Document):
        texts.insert(0, f"[documento {message.filename or ''}]".replace(" ]", "]"))
    return "\n".join(texts), False


def _key_of(engine: Engine, handoff_id: int | None, key: str | None) -> str:
    if key:
        return key
    with engine.connect() as connection:
        found = connection.execute(
            select(handoffs.c.conversation_key).where(handoffs.c.id == handoff_id)
        ).scalar()
    if found is None:
        raise HandOffError(NOT_FOUND)
    return str(found)


def history(
    engine: Engine,
    now: datetime,
    *,
    handoff_id: int | None = None,
    conversation_key: str | None = None,
    limit: int = 500,
) -> History:
    """The conversation in time order (its last `limit` entries). An operator's reply is one
    entry, with the delivery status of the message it became."""
    key = _key_of(engine, handoff_id, conversation_key)
    with engine.connect() as connection:
        conversation = (
            connection.execute(select(conversations).where(conversations.c.key == key))
            .mappings()
            .first()
        )
        received = (
            connection.execute(
                select(inbox).where(inbox.c.conversation_key == key).order_by(inbox.c.id)
            )
            .mappings()
            .all()
        )
        sent = (
            connection.execute(
                select(outbox)
                .where(outbox.c.conversation_key == key, outbox.c.kind == "message")
                .order_by(outbox.c.seq)
            )
            .mappings()
            .all()
        )
    entries = _entries(received, sent)[-limit:]
    return History(
        conversation_key=key,
        profile_name=conversation["profile_name"] if conversation else None,
        window_open=_window_open(conversation["last_inbound_at"], now) if conversation else False,
        entries=tuple(entries),
    )


Order = tuple[datetime, float, int, int]
"""(time of the event, its inbox id, 0 for the event itself or 1 for what it caused, seq)."""


def _entries(received: Sequence[Any], sent: Sequence[Any]) -> list[HistoryEntry]:
    """Inbox and outbox rows as one list: each message the bot sent right after the event that
    caused it (its `callback_data` is that event's id), whatever the clock says."""
    found: list[tuple[Order, HistoryEntry]] = []
    sources: dict[str, tuple[datetime, int]] = {}
    replies: dict[str, int] = {}
    for row in received:
        at = utc(row["received_at"])
        assert at is not None
        sources[row["message_id"]] = (at, int(row["id"]))
        payload = orjson.loads(row["payload"])
        if row["kind"] == "operator_said":
            replies[row["message_id"]] = len(found)
            entry = HistoryEntry(
                at=at,
                direction="out",
                author=str(payload.get("operator", "")),
                text=_operator_text(payload),
                status="pending",
            )
        elif (text := inbound_text(row["kind"], payload)) is not None:
            entry = HistoryEntry(
                at=at, direction="in", author="cliente", text=text, media_id=_media_id(row, payload)
            )
        elif (text := _event_text(row["kind"], payload)) is not None:
            entry = HistoryEntry(at=at, direction="event", author="sistema", text=text)
        else:
            continue
        found.append(((at, int(row["id"]), 0, 0), entry))
    for row in sent:
        source, _, part = (row["callback_data"] or "").rpartition("#")
        if source in replies:  # the operator's reply as it was sent: its status is the entry's
            if part == "0":
                place, said = found[replies[source]]
                found[replies[source]] = (place, replace(said, status=delivery_status(row)))
            continue
        at = utc(row["created_at"])
        assert at is not None
        cause = sources.get(source)
        order: Order = (cause[0], cause[1], 1, int(row["seq"])) if cause else (at, inf, 1, 0)
        text, template = _outbound(row["payload"])
        entry = HistoryEntry(
            at=at,
            direction="out",
            author="assistente",
            text=text,
            status=delivery_status(row),
            template=template,
        )
        found.append((order, entry))
    found.sort(key=lambda item: item[0])
    return [entry for _, entry in found]
