"""What payments hold about a WhatsApp user (charges and receipts), for the LGPD copy; the
erasure keeps them (a legal obligation) and counts them; their part of the retention purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select

from dresbach.platform.feature import PersonalData
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import inbound_media, payment_receipts, payments


def held(connection: Connection, key: str) -> dict[str, Any]:
    found_payments = [
        {
            "txid": row["txid"],
            "cadastro": row["lead_id"],
            "valor": row["amount"],
            "situacao": row["status"],
            "criado_em": iso(row["created_at"]),
            "vence_em": iso(row["expires_at"]),
            "pago_em": iso(row["paid_at"]),
            "valor_pago": row["amount_paid"],
        }
        for row in connection.execute(
            select(payments)
            .where(payments.c.conversation_key == key)
            .order_by(payments.c.created_at)
        ).mappings()
    ]
    receipts = [
        {
            "txid": row["txid"],
            "arquivo": row["filename"],
            "situacao": row["status"],
            "enviado_em": iso(row["created_at"]),
        }
        for row in connection.execute(
            select(payment_receipts).where(payment_receipts.c.conversation_key == key)
        ).mappings()
    ]
    return {"pagamentos": found_payments, "comprovantes_de_pagamento": receipts}


def erase(connection: Connection, key: str, _now: datetime) -> dict[str, int]:
    """Nothing: the payments stay, tied to the lead id only; how many were kept."""
    kept = connection.execute(
        select(func.count()).select_from(payments).where(payments.c.conversation_key == key)
    ).scalar_one()
    return {"payments_kept": int(kept)}


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Payments and their receipts (with the files) created longer ago than `payments`."""
    cutoff = now - retention.payments
    old = select(payments.c.txid).where(payments.c.created_at < cutoff)
    with engine.begin() as connection:
        files = connection.execute(
            delete(inbound_media).where(
                inbound_media.c.media_id.in_(
                    select(payment_receipts.c.media_id).where(payment_receipts.c.txid.in_(old))
                ),
                inbound_media.c.kept_with == "payment",
            )
        ).rowcount
        receipts = connection.execute(
            delete(payment_receipts).where(payment_receipts.c.txid.in_(old))
        ).rowcount
        removed = connection.execute(delete(payments).where(payments.c.created_at < cutoff))
    return {
        "payments": removed.rowcount,
        "payment_receipts": receipts,
        "receipt_files": files,
    }


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
