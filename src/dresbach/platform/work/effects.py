"""What the core's commands do to our own database, inside the step's transaction.

Saving a lead or a receipt needs no outside system, so it commits with the step. A command that
needs one (a Pix charge) becomes a job row here, drained by the job worker, whose result comes
back to the conversation as an event through the same unit of work.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, update

from dresbach.features.client_area.model import (
    CheckLogin,
    CheckSecondFactor,
    EndSession,
    FetchClientData,
    FinishFlowLogin,
    OpenTicket,
    ReplyTicket,
    RequestAccessLink,
    ResendEmailCode,
)
from dresbach.features.handoff.model import EndHandOff, ForwardToHuman, RequestCallback
from dresbach.features.privacy.model import (
    CorrectPersonalData,
    CountCorrectableData,
    ErasePersonalData,
    ExportPersonalData,
)
from dresbach.features.scheduling.model import BookSlot, CancelBooking, FindSlots
from dresbach.kernel.commands import (
    Command,
    CreatePixCharge,
    EmailReceipt,
    QueueReceiptReview,
    RecordLead,
    RequestHandOff,
)
from dresbach.platform.observe import audit
from dresbach.platform.observe.redaction import mask_documents
from dresbach.platform.store.schema import jobs, leads, payment_receipts
from dresbach.platform.store.sealing import Sealer, is_sealed
from dresbach.platform.store.sql import insert_ignore

log = logging.getLogger(__name__)


def _json(value: Any) -> str:
    return orjson.dumps(
        value, default=lambda v: str(v) if isinstance(v, Decimal) else None
    ).decode()


def enqueue_job(
    connection: Connection,
    *,
    command_id: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    conversation_key: str | None = None,
) -> bool:
    """A job runs once per command id, however often it is enqueued."""
    return insert_ignore(
        connection,
        jobs,
        {
            "command_id": command_id,
            "kind": kind,
            "conversation_key": conversation_key,
            "payload": _json(payload),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        },
        ["command_id"],
    )


def _sealed_document(sealer: Sealer | None, document: str | None) -> str | None:
    """The lead's CNPJ as it is kept: sealed (already sealed when the step ran without the
    sealer, which `records` then leaves as it is)."""
    if not document or is_sealed(document):
        return document or None
    if sealer is None:
        raise ValueError("a lead's CNPJ needs the sealer")
    return sealer.seal(document)


def _record_lead(
    connection: Connection, key: str, command: RecordLead, now: datetime, sealer: Sealer | None
) -> None:
    # a document typed into an answer (the description, the company) is not kept in clear
    answers = (
        _json({field: mask_documents(str(v)) for field, v in command.answers.items()})
        if command.answers is not None
        else None
    )
    cnpj_sealed = _sealed_document(sealer, command.document)
    created = insert_ignore(
        connection,
        leads,
        {
            "lead_id": command.lead_id,
            "conversation_key": key,
            "status": command.status,
            "answers": answers or "{}",
            "lost_reason": command.lost_reason,
            "created_at": now,
            "updated_at": now,
            "cnpj_sealed": cnpj_sealed,
        },
        ["lead_id"],
    )
    if not created:
        changes: dict[str, Any] = {
            "status": command.status,
            "lost_reason": command.lost_reason,
            "updated_at": now,
        }
        if answers is not None:  # None: the answers (and the CNPJ) saved before stay as they are
            changes["answers"] = answers
            changes["cnpj_sealed"] = cnpj_sealed
        connection.execute(update(leads).where(leads.c.lead_id == command.lead_id).values(changes))


SEALED_JOBS = frozenset(
    {"check_login", "check_second_factor", "finish_flow_login", "create_charge"}
)
"""Jobs whose payload is sealed, and wiped once they ran."""

_CLIENT_JOBS: dict[type[Command], str] = {
    ResendEmailCode: "send_email_code",
    FetchClientData: "fetch_client_data",
    RequestAccessLink: "access_link",
    OpenTicket: "open_ticket",
    ReplyTicket: "reply_ticket",
}

_WORKER_JOBS: dict[type[Command], str] = {
    CreatePixCharge: "create_charge",
    RequestHandOff: "handoff",
    FindSlots: "find_slots",
    BookSlot: "book_slot",
    CancelBooking: "cancel_booking",
    EmailReceipt: "email_receipt",
    ForwardToHuman: "forward_to_human",
    EndHandOff: "end_handoff",
    RequestCallback: "request_callback",
    ExportPersonalData: "export_personal_data",
    CountCorrectableData: "count_correctable_data",
    CorrectPersonalData: "correct_personal_data",
    ErasePersonalData: "erase_personal_data",
}
"""Commands that become a job of that kind; the payload is the command's fields."""


def _sealed(sealer: Sealer | None, secret: dict[str, str]) -> str:
    if sealer is None:
        raise ValueError("a secret command needs the sealer")
    return sealer.seal(orjson.dumps(secret).decode())


def _client_job(
    connection: Connection, key: str, command: Command, now: datetime, sealer: Sealer | None
) -> bool:
    """The Área do Cliente commands; True when `command` was one of them."""
    if isinstance(command, CheckLogin):
        payload: dict[str, Any] = {
            "sealed": _sealed(sealer, {"document": command.document, "password": command.password})
        }
        kind = "check_login"
    elif isinstance(command, CheckSecondFactor):
        payload = {
            "client_id": command.client_id,
            "method": command.method,
            "sealed": _sealed(sealer, {"code": command.code}),
        }
        kind = "check_second_factor"
    elif isinstance(command, FinishFlowLogin):
        payload = {"sealed": _sealed(sealer, {"flow_token": command.flow_token})}
        kind = "finish_flow_login"
    elif isinstance(command, EndSession):
        audit.record(
            connection,
            who=key,
            action="session_ended",
            now=now,
            detail=f"client {command.client_id}: {command.reason}",
        )
        return True
    elif type(command) in _CLIENT_JOBS:
        payload = {k: v for k, v in asdict(command).items() if k != "command_id"}
        kind = _CLIENT_JOBS[type(command)]
    else:
        return False
    enqueue_job(
        connection,
        command_id=command.command_id,
        kind=kind,
        payload=payload,
        now=now,
        conversation_key=key,
    )
    return True


def apply_commands(
    connection: Connection,
    key: str,
    commands: Sequence[Command],
    now: datetime,
    sealer: Sealer | None = None,
) -> None:
    for command in commands:
        if _client_job(connection, key, command, now, sealer):
            continue
        if isinstance(command, RecordLead):
            _record_lead(connection, key, command, now, sealer)
        elif isinstance(command, QueueReceiptReview):
            insert_ignore(
                connection,
                payment_receipts,
                {
                    "command_id": command.command_id,
                    "txid": command.txid,
                    "conversation_key": key,
                    "media_id": command.media_id,
                    "mime_type": command.mime_type,
                    "filename": command.filename,
                    "status": "pending",
                    "created_at": now,
                },
                ["command_id"],
            )
        elif type(command) in _WORKER_JOBS:
            payload = asdict(command)
            if isinstance(command, CreatePixCharge) and command.payer_document:
                # a CNPJ is never stored in clear: sealed until the PSP gets it, then wiped
                payload["payer_document"] = None
                payload["sealed"] = _sealed(sealer, {"document": command.payer_document})
            if isinstance(command, ForwardToHuman):  # the customer's words, for the desk
                payload["text"] = mask_documents(command.text)
            enqueue_job(
                connection,
                command_id=command.command_id,
                kind=_WORKER_JOBS[type(command)],
                payload=payload,
                now=now,
                conversation_key=key,
            )
        else:  # pragma: no cover - a new command without an effect is a programming error
            raise TypeError(f"no effect for {command.name}")
