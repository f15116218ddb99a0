"""Private notes on a hand-off: what operators tell each other about a customer, never sent
to the customer. `@username` mentions an operator; the mention shows on that operator's queue
page while the hand-off is open. Each note is audited under its author's name (the text stays
out of the audit log)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, desc, select

from dresbach.features.handoff.records import NOT_FOUND, OPEN, HandOffError
from dresbach.platform.observe import audit
from dresbach.platform.store.schema import handoff_notes, handoffs, operators

MAX_NOTE = 2000
MENTION = re.compile(r"(?<![\w.@])@([a-z0-9][a-z0-9._-]{0,79})", re.IGNORECASE)
EMPTY = "Escreva a nota antes de salvar."
TOO_LONG = f"A nota pode ter até {MAX_NOTE} caracteres."


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    handoff_id: int
    author: str
    author_name: str
    body: str
    mentions: tuple[str, ...]
    created_at: datetime


def _mentioned(connection: Connection, body: str) -> tuple[str, ...]:
    """The operators named `@username` in the text, each once, in order; unknown names are
    plain text."""
    wanted: list[str] = []
    for name in MENTION.findall(body):
        lowered = name.lower().rstrip(".")
        if lowered not in wanted:
            wanted.append(lowered)
    if not wanted:
        return ()
    known = set(
        connection.execute(
            select(operators.c.username).where(operators.c.username.in_(wanted))
        ).scalars()
    )
    return tuple(name for name in wanted if name in known)


def add_note(engine: Engine, handoff_id: int, author: str, body: str, now: datetime) -> Note:
    """Keep a note; raises HandOffError (pt-BR) for an empty or too long one, or no hand-off."""
    text = body.strip()
    if not text:
        raise HandOffError(EMPTY)
    if len(text) > MAX_NOTE:
        raise HandOffError(TOO_LONG)
    with engine.begin() as connection:
        key = connection.execute(
            select(handoffs.c.conversation_key).where(handoffs.c.id == handoff_id)
        ).scalar()
        if key is None:
            raise HandOffError(NOT_FOUND)
        mentions = _mentioned(connection, text)
        connection.execute(
            handoff_notes.insert().values(
                handoff_id=handoff_id,
                author=author[:80],
                body=text,
                mentions=" ".join(mentions),
                created_at=now,
            )
        )
        named = f"; menciona {', '.join(mentions)}" if mentions else ""
        audit.record(
            connection,
            who=author,
            action="handoff_note",
            now=now,
            detail=f"atendimento {handoff_id} ({audit.mask_key(key)}){named}",
            mask=False,
        )
    return Note(
        handoff_id=handoff_id,
        author=author,
        author_name=author,
        body=text,
        mentions=mentions,
        created_at=now,
    )


def _note(row: Any) -> Note:
    return Note(
        handoff_id=int(row.handoff_id),
        author=row.author,
        author_name=row.display_name or row.author,
        body=row.body,
        mentions=tuple(row.mentions.split()),
        created_at=row.created_at,
    )


def _query() -> Select[Any]:
    return select(
        handoff_notes.c.handoff_id,
        handoff_notes.c.author,
        handoff_notes.c.body,
        handoff_notes.c.mentions,
        handoff_notes.c.created_at,
        operators.c.display_name,
    ).outerjoin(operators, operators.c.username == handoff_notes.c.author)


def notes_of(engine: Engine, handoff_id: int) -> list[Note]:
    """The hand-off's notes, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            _query().where(handoff_notes.c.handoff_id == handoff_id).order_by(handoff_notes.c.id)
        )
        return [_note(row) for row in rows]


def mentions_of(engine: Engine, username: str, limit: int = 20) -> list[Note]:
    """Notes naming this operator on hand-offs still open, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            _query()
            .join(handoffs, handoffs.c.id == handoff_notes.c.handoff_id)
            .where(
                handoffs.c.status.in_(OPEN),
                handoff_notes.c.mentions.like(f"%{username}%"),
            )
            .order_by(desc(handoff_notes.c.id))
            .limit(limit * 4)
        )
        found = [note for note in map(_note, rows) if username in note.mentions]
    return found[:limit]
