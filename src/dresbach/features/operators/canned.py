"""Canned replies (respostas prontas): texts operators send often, found by their shortcut
(typing `/dns` in the reply box), with variables filled from the hand-off before sending.

The variables are `{nome}` (the customer's name: the lead's, else the WhatsApp profile's) and
`{dominio}` (the domain the client was looking at in the Área do Cliente). A reply that uses a
variable this hand-off has no value for is refused with a pt-BR message to the operator, never
sent with the braces raw. Saving and removing are audited under the operator's name.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine, delete, or_, select, update

from dresbach.kernel.limits import TEXT_BODY
from dresbach.platform.observe import audit
from dresbach.platform.store.schema import canned_replies, conversations, handoffs
from dresbach.platform.store.sql import insert_ignore

VARIABLES = {
    "nome": "o nome do cliente",
    "dominio": "o domínio que o cliente consultou na Área do Cliente",
}
"""The variables a canned reply may use, and what each is, in pt-BR."""
SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{1,29}$")
MAX_TITLE = 80
DOMAIN_SLOT = "client_area.domain"


class CannedError(ValueError):
    """A canned reply that cannot be saved or sent; the message is pt-BR, for the operator."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CannedReply:
    shortcut: str
    title: str
    body: str
    updated_by: str
    updated_at: datetime


def shortcut_of(typed: str) -> str:
    """`/DNS ` → `dns`."""
    return typed.strip().removeprefix("/").strip().lower()


def variables_in(body: str) -> list[str]:
    """The `{names}` a text uses, in order; raises CannedError for a malformed brace."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(body) if name is not None]
    except ValueError as error:
        raise CannedError(
            "Chaves soltas no texto: use {nome} ou {dominio}, ou tire as chaves."
        ) from error


def check(shortcut: str, title: str, body: str) -> tuple[str, str, str]:
    name, title, body = shortcut_of(shortcut), title.strip(), body.strip()
    if not SHORTCUT.match(name):
        raise CannedError(
            "Atalho inválido: use de 2 a 30 letras minúsculas, números, - ou _ (como dns)."
        )
    if not title or len(title) > MAX_TITLE:
        raise CannedError(f"Informe um título de até {MAX_TITLE} caracteres.")
    if not body or len(body) > TEXT_BODY:
        raise CannedError(f"Escreva o texto da resposta, com até {TEXT_BODY} caracteres.")
    unknown = sorted({v for v in variables_in(body) if v not in VARIABLES})
    if unknown:
        known = ", ".join(f"{{{v}}}" for v in VARIABLES)
        raise CannedError(f"Variável desconhecida: {{{unknown[0]}}}. Use apenas {known}.")
    return name, title, body


def _reply(row: Any) -> CannedReply:
    return CannedReply(
        shortcut=row["shortcut"],
        title=row["title"],
        body=row["body"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
    )


def save(engine: Engine, shortcut: str, title: str, body: str, who: str, now: datetime) -> bool:
    """Create or change a canned reply; True when it is new."""
    name, title, body = check(shortcut, title, body)
    values = {"title": title, "body": body, "updated_by": who[:80], "updated_at": now}
    with engine.begin() as connection:
        created = insert_ignore(
            connection, canned_replies, {"shortcut": name, **values}, ("shortcut",)
        )
        if not created:
            connection.execute(
                update(canned_replies).where(canned_replies.c.shortcut == name).values(**values)
            )
        action = "canned_reply_created" if created else "canned_reply_changed"
        audit.record(connection, who=who, action=action, now=now, detail=f"/{name}", mask=False)
    return created


def remove(engine: Engine, shortcut: str, who: str, now: datetime) -> None:
    name = shortcut_of(shortcut)
    with engine.begin() as connection:
        gone = connection.execute(delete(canned_replies).where(canned_replies.c.shortcut == name))
        if not gone.rowcount:
            raise CannedError(f"Resposta pronta /{name} não encontrada.")
        audit.record(
            connection,
            who=who,
            action="canned_reply_removed",
            now=now,
            detail=f"/{name}",
            mask=False,
        )


def find(engine: Engine, shortcut: str) -> CannedReply | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(canned_replies).where(canned_replies.c.shortcut == shortcut_of(shortcut))
            )
            .mappings()
            .first()
        )
    return _reply(row) if row else None


def search(engine: Engine, typed: str = "", limit: int = 50) -> list[CannedReply]:
    """By shortcut prefix or a word of the title; all when nothing is typed."""
    words = shortcut_of(typed)
    query = select(canned_replies).order_by(canned_replies.c.shortcut).limit(limit)
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(
                canned_replies.c.shortcut.like(f"{escaped}%", escape="\\"),
                canned_replies.c.title.ilike(f"%{escaped}%", escape="\\"),
            )
        )
    with engine.connect() as connection:
        return [_reply(row) for row in connection.execute(query).mappings()]


def values_for(engine: Engine, handoff_id: int) -> dict[str, str | None]:
    """The variables' values for this hand-off: the lead's name or the profile name, and the
    domain the client last looked at."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(handoffs.c.context, conversations.c.profile_name, conversations.c.slots)
                .select_from(handoffs)
                .outerjoin(conversations, conversations.c.key == handoffs.c.conversation_key)
                .where(handoffs.c.id == handoff_id)
            )
            .mappings()
            .first()
        )
    if row is None:
        return dict.fromkeys(VARIABLES)
    context = _json(row["context"])
    slots = _json(row["slots"])
    lead = context.get("lead")
    answers = lead.get("answers") if isinstance(lead, dict) else None
    name = (answers.get("name") if isinstance(answers, dict) else None) or row["profile_name"]
    domain = slots.get(DOMAIN_SLOT)
    return {
        "nome": str(name).strip().split()[0] if isinstance(name, str) and name.strip() else None,
        "dominio": domain.strip() if isinstance(domain, str) and domain.strip() else None,
    }


def _json(text: str | None) -> dict[str, Any]:
    try:
        found = orjson.loads(text or "{}")
    except orjson.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def fill(reply: CannedReply, values: dict[str, str | None]) -> str:
    """The reply with its variables filled; CannedError naming the first one without a value."""
    used = variables_in(reply.body)
    for name in used:
        if not values.get(name):
            raise CannedError(
                f"A resposta /{reply.shortcut} usa {{{name}}}, mas este atendimento não tem "
                f"{VARIABLES.get(name, name)}. Escreva a mensagem sem ela."
            )
    return reply.body.format_map({name: values[name] for name in used})
