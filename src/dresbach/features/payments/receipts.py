"""Receipts that customers sent for a `static` Pix, waiting for an operator's review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import orjson
from sqlalchemy import Engine, select

from dresbach.features.payments.model import bank_txid
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import conversations, leads, payment_receipts, payments


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingReceipt:
    receipt_id: int
    txid: str
    bank_txid: str
    """The txid the payer's bank shows (a static BR Code carries its first 25 characters)."""
    conversation_key: str
    customer: str
    """The WhatsApp profile name, or the number when there is none."""
    company: str
    media_id: str
    mime_type: str
    filename: str | None
    received_at: datetime
    amount: Decimal
    payment_status: str
    expires_at: datetime
    note: str | None


def pending_receipts(engine: Engine) -> list[PendingReceipt]:
    """Receipts still pending whose charge is not paid yet, oldest first."""
    query = (
        select(
            payment_receipts.c.id,
            payment_receipts.c.txid,
            payment_receipts.c.conversation_key,
            payment_receipts.c.media_id,
            payment_receipts.c.mime_type,
            payment_receipts.c.filename,
            payment_receipts.c.created_at,
            payments.c.amount,
            payments.c.provider,
            payments.c.status,
            payments.c.expires_at,
            payments.c.note,
            conversations.c.profile_name,
            conversations.c.address,
            leads.c.answers,
        )
        .join(payments, payments.c.txid == payment_receipts.c.txid)
        .outerjoin(conversations, conversations.c.key == payment_receipts.c.conversation_key)
        .outerjoin(leads, leads.c.lead_id == payments.c.lead_id)
        .where(payment_receipts.c.status == "pending", payments.c.status != "paid")
        .order_by(payment_receipts.c.created_at, payment_receipts.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found = []
    for r in rows:
        answers = orjson.loads(r["answers"]) if r["answers"] else {}
        found.append(
            PendingReceipt(
                receipt_id=int(r["id"]),
                txid=r["txid"],
                bank_txid=bank_txid(r["txid"], r["provider"]),
                conversation_key=r["conversation_key"],
                customer=r["profile_name"] or r["address"] or r["conversation_key"],
                company=str(answers.get("company", "")),
                media_id=r["media_id"],
                mime_type=r["mime_type"],
                filename=r["filename"],
                received_at=utc(r["created_at"]) or r["created_at"],
                amount=Decimal(r["amount"]),
                payment_status=r["status"],
                expires_at=utc(r["expires_at"]) or r["expires_at"],
                note=r["note"],
            )
        )
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenCharge:
    """A `static` Pix still waiting for its payment, with no receipt under review: the operator
    confirms it after seeing the credit in the bank statement."""

    txid: str
    bank_txid: str
    customer: str
    company: str
    amount: Decimal
    created_at: datetime
    expires_at: datetime


def open_charges(engine: Engine) -> list[OpenCharge]:
    """Active `static` charges without a pending receipt, oldest first."""
    with_receipt = select(payment_receipts.c.txid).where(payment_receipts.c.status == "pending")
    query = (
        select(
            payments.c.txid,
            payments.c.amount,
            payments.c.created_at,
            payments.c.expires_at,
            conversations.c.profile_name,
            conversations.c.address,
            payments.c.conversation_key,
            leads.c.answers,
        )
        .outerjoin(conversations, conversations.c.key == payments.c.conversation_key)
        .outerjoin(leads, leads.c.lead_id == payments.c.lead_id)
        .where(
            payments.c.provider == "static",
            payments.c.status == "active",
            payments.c.txid.not_in(with_receipt),
        )
        .order_by(payments.c.created_at)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        OpenCharge(
            txid=r["txid"],
            bank_txid=bank_txid(r["txid"], "static"),
            customer=r["profile_name"] or r["address"] or r["conversation_key"],
            company=str((orjson.loads(r["answers"]) if r["answers"] else {}).get("company", "")),
            amount=Decimal(r["amount"]),
            created_at=utc(r["created_at"]) or r["created_at"],
            expires_at=utc(r["expires_at"]) or r["expires_at"],
        )
        for r in rows
    ]
