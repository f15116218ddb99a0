"""What we hold about one WhatsApp user, read as one document (access and portability), and
the same rows anonymized on request (LGPD art. 18 II, IV, V; art. 16 for what stays).

Both run inside the caller's transaction, so an export is one consistent snapshot and an erasure
is all or nothing. Payment records stay (a legal obligation), tied to the lead id only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, or_, select, update

from dresbach.features.privacy.flow.texts import DOCUMENT, LEGAL_BASES
from dresbach.features.privacy.model import ERASED, Retention
from dresbach.kernel.conversation import SECRET_SLOT_PREFIX
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import PersonalData, installed
from dresbach.platform.inbound import media
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import (
    audit_log,
    conversations,
    inbox,
    jobs,
    media_blobs,
    outbox,
    sandbox_messages,
)

INBOUND_KINDS = frozenset(
    {"text", "choice", "media", "location", "contacts", "reaction", "unsupported", "flow_reply"}
)
"""Inbox kinds that are messages the user sent (the others are our own internal events)."""

CLIENT_AREA = "client_area."
EXPORT_JOB = "export_personal_data"
EXPORT_PREFIX = "export-"
EXPORT_KEEP = timedelta(days=7)
"""A personal-data document lives long enough to be sent (and re-sent), then goes."""
PRIVACY_ACTIONS = ("privacy_export", "privacy_correction", "privacy_erasure")


def export_ref(command_id: str) -> str:
    """The media blob that holds the JSON document made for one request."""
    return EXPORT_PREFIX + hashlib.sha256(command_id.encode()).hexdigest()[:32]


def readable_ref(command_id: str) -> str:
    """The media blob that holds the readable text made for the same request."""
    return f"{export_ref(command_id)}-txt"


def _received(kind: str, payload: Mapping[str, Any]) -> str:
    """What a user's message said, as text (a caption, a tapped option, a place…)."""
    kind_of = str(payload.get("type", kind))
    body = payload.get(kind_of)
    if kind_of == "text" and isinstance(body, Mapping):
        return str(body.get("body", ""))
    if kind_of == "interactive" and isinstance(body, Mapping):
        reply = body.get(str(body.get("type", ""))) or {}
        return str(reply.get("title") or reply.get("body") or "")
    if kind_of == "button" and isinstance(body, Mapping):
        return str(body.get("text", ""))
    if kind_of == "reaction" and isinstance(body, Mapping):
        return str(body.get("emoji", ""))
    if kind_of == "location" and isinstance(body, Mapping):
        parts = (body.get("name"), body.get("address"), body.get("latitude"), body.get("longitude"))
        return ", ".join(str(p) for p in parts if p is not None)
    if kind_of == "contacts" and isinstance(body, list):
        names = [str((c.get("name") or {}).get("formatted_name", "")) for c in body]
        return ", ".join(n for n in names if n)
    if isinstance(body, Mapping) and (body.get("caption") or body.get("filename")):
        return f"[{kind_of}] {body.get('caption') or body.get('filename')}"
    return f"[{kind_of}]"


def _sent(payload: Mapping[str, Any]) -> str:
    if payload.get("t") == "template":
        return f"[modelo {payload.get('name')}] {' '.join(payload.get('params') or [])}".strip()
    if payload.get("t") in ("image", "document"):
        return str(payload.get("caption") or payload.get("filename") or f"[{payload.get('t')}]")
    return str(payload.get("body", ""))


def _answers(slots: str) -> dict[str, Any]:
    """The answers a conversation holds, without sealed secrets or client-area data (those
    need the Área do Cliente's login)."""
    return {
        k: v
        for k, v in orjson.loads(slots).items()
        if v is not None and not k.startswith((SECRET_SLOT_PREFIX, CLIENT_AREA))
    }


def _conversation(connection: Connection, key: str) -> Any:
    return (
        connection.execute(select(conversations).where(conversations.c.key == key))
        .mappings()
        .first()
    )


def _messages(connection: Connection, key: str) -> tuple[list[Any], list[Any], list[Any]]:
    """Messages both ways and internal events. What was said inside the Área do Cliente (the
    step left the conversation there) is shown as a placeholder: it needs that area's login."""
    received, events, hidden = [], [], set()
    for row in connection.execute(
        select(
            inbox.c.message_id, inbox.c.kind, inbox.c.payload, inbox.c.received_at, inbox.c.place
        )
        .where(inbox.c.conversation_key == key)
        .order_by(inbox.c.id)
    ).mappings():
        in_client_area = (row["place"] or "").startswith(CLIENT_AREA)
        if in_client_area:
            hidden.add(row["message_id"])
        if row["kind"] not in INBOUND_KINDS:
            events.append({"em": iso(row["received_at"]), "tipo": row["kind"]})
            continue
        content = (
            DOCUMENT["client_area_hidden"]
            if in_client_area
            else _received(row["kind"], orjson.loads(row["payload"]))
        )
        received.append({"recebida_em": iso(row["received_at"]), "conteudo": content})
    sent = [
        {
            "criada_em": iso(row["created_at"]),
            "enviada_em": iso(row["sent_at"]),
            "situacao": row["delivery_status"] or row["status"],
            "conteudo": DOCUMENT["client_area_hidden"]
            if (row["callback_data"] or "").rsplit("#", 1)[0] in hidden
            else _sent(orjson.loads(row["payload"])),
        }
        for row in connection.execute(
            select(outbox)
            .where(outbox.c.conversation_key == key, outbox.c.kind == "message")
            .order_by(outbox.c.seq)
        ).mappings()
    ]
    return received, sent, events


def _records(connection: Connection, key: str) -> dict[str, Any]:
    """What each feature holds about the conversation (its registered source), in order."""
    records: dict[str, Any] = {}
    for source in installed().personal_data:
        if source.held is not None:
            records.update(source.held(connection, key))
    return records


def _requests(connection: Connection, masked_key: str) -> list[dict[str, Any]]:
    return [
        {"em": iso(row["at"]), "pedido": row["action"], "detalhe": row["detail"]}
        for row in connection.execute(
            select(audit_log)
            .where(audit_log.c.who == masked_key, audit_log.c.action.in_(PRIVACY_ACTIONS))
            .order_by(audit_log.c.id)
        ).mappings()
    ]


def _days(value: Any) -> int:
    return int(value.days)


def document(
    connection: Connection,
    key: str,
    masked_key: str,
    now: datetime,
    policy: Policy,
    retention: Retention,
) -> dict[str, Any]:
    """Everything we hold about the conversation `key`, for its owner (keys in pt-BR)."""
    row = _conversation(connection, key)
    received, sent, events = _messages(connection, key)
    periods = {name: _days(getattr(retention, name)) for name in Retention.__dataclass_fields__}
    return {
        "documento": DOCUMENT["title"].format(controller=policy.controller),
        "gerado_em": now.isoformat(),
        "controladora": policy.controller,
        "encarregado_de_dados": policy.dpo_contact,
        "politica_de_privacidade": policy.privacy_url,
        "finalidade": policy.privacy_purpose,
        "titular": {
            "whatsapp": row["wa_id"] if row else None,
            "identificador_no_whatsapp": row["user_id"] if row else None,
            "nome_do_perfil": row["profile_name"] if row else None,
        },
        "conversa": {
            "iniciada_em": iso(row["created_at"]) if row else None,
            "ultima_atividade_em": iso(row["last_activity_at"]) if row else None,
            "ultima_mensagem_recebida_em": iso(row["last_inbound_at"]) if row else None,
            "etapa_atual": f"{row['flow']}.{row['state']}" if row else None,
            "respostas_em_andamento": _answers(row["slots"]) if row else {},
            "anuncio_de_origem": orjson.loads(row["referral"]) if row and row["referral"] else None,
        },
        "aviso_de_privacidade": {
            "exibido_em": iso(row["created_at"]) if row else None,
            "observacao": DOCUMENT["notice"],
        },
        "mensagens_recebidas": received,
        "mensagens_enviadas": sent,
        "registros_do_sistema": events,
        **_records(connection, key),
        "pedidos_de_privacidade": _requests(connection, masked_key),
        "area_do_cliente": DOCUMENT["client_area"].format(dpo=policy.dpo_contact),
        "bases_legais_e_prazos": {
            name: text.format(**periods) for name, text in LEGAL_BASES.items()
        },
    }


# ---- erasure -----------------------------------------------------------------------------

_ERASED_MESSAGE = orjson.dumps({"t": "text", "body": ERASED, "preview_url": False}).decode()
_ERASED_PAYLOAD = orjson.dumps({"removed": ERASED}).decode()


def erase(connection: Connection, key: str, now: datetime) -> dict[str, int]:
    """Anonymize what the conversation `key` holds; returns how many rows of each kind changed
    (the conversation, its messages, then each feature's registered source).

    Kept: payments and their receipts (by law), the audit log (masked, security), messages
    still waiting to be sent, and name and e-mail of a meeting yet to happen."""
    changed: dict[str, int] = {}

    def run(name: str, statement: Any) -> None:
        changed[name] = int(connection.execute(statement).rowcount)

    run(
        "conversations",
        update(conversations)
        .where(conversations.c.key == key)
        .values(
            slots="{}",
            trail="[]",
            profile_name=None,
            referral=None,
            created_at=now,
            updated_at=now,
        ),
    )
    run(
        "inbox",
        update(inbox).where(inbox.c.conversation_key == key).values(payload=_ERASED_PAYLOAD),
    )
    run(
        "outbox",
        update(outbox)
        .where(
            outbox.c.conversation_key == key,
            outbox.c.kind == "message",
            outbox.c.status != "pending",
        )
        .values(payload=_ERASED_MESSAGE, fallback=None),
    )
    for source in installed().personal_data:
        if source.erase is not None:
            changed.update(source.erase(connection, key, now))
    return changed


def _held_own(connection: Connection, key: str) -> dict[str, Any]:
    """The files the user sent that we keep (images, documents, audio, video), without them."""
    files = [
        {
            "tipo": kept.kind,
            "arquivo": kept.filename,
            "formato": kept.mime_type,
            "tamanho_em_bytes": kept.size,
            "situacao": kept.status,
            "recebido_em": iso(kept.created_at),
            "guardado_com": "pagamento" if kept.kept_with == "payment" else None,
        }
        for kept in media.of_conversation(connection, key)
    ]
    return {"arquivos_enviados": files}


def _erase_own(connection: Connection, key: str, _now: datetime) -> dict[str, int]:
    """The files the user sent (a receipt too: its payment's record stays), the copies made
    for the user's requests, the finished jobs' payloads, the sandbox."""
    changed: dict[str, int] = {"media": media.erase(connection, key)}

    def run(name: str, statement: Any) -> None:
        changed[name] = int(connection.execute(statement).rowcount)

    exports = [
        ref(command_id)
        for command_id in connection.execute(
            select(jobs.c.command_id).where(
                jobs.c.conversation_key == key, jobs.c.kind == EXPORT_JOB
            )
        ).scalars()
        for ref in (export_ref, readable_ref)
    ]
    run("exports", delete(media_blobs).where(media_blobs.c.ref.in_(exports)))
    run(
        "jobs",
        update(jobs)
        .where(
            jobs.c.conversation_key == key, or_(jobs.c.status == "done", jobs.c.status == "failed")
        )
        .values(payload="{}"),
    )
    address = connection.execute(
        select(conversations.c.address).where(conversations.c.key == key)
    ).scalar()
    if address:
        run("sandbox", delete(sandbox_messages).where(sandbox_messages.c.recipient == address))
    return changed


def _purge_exports(engine: Engine, now: datetime, _retention: Any) -> dict[str, int]:
    """A personal-data document goes seven days after it was made."""
    with engine.begin() as connection:
        removed = connection.execute(
            delete(media_blobs).where(
                media_blobs.c.ref.like(f"{EXPORT_PREFIX}%"),
                media_blobs.c.created_at < now - EXPORT_KEEP,
            )
        )
    return {"exports": int(removed.rowcount)}


PERSONAL_DATA = PersonalData(held=_held_own, erase=_erase_own, purge=_purge_exports)
