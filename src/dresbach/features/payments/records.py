"""Payments in the database: charges stored once, statuses settled under a row lock, timers,
and the internal events each of these delivers to the conversation (once, by event id).
Finding a payment is `lookup`'s."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from dresbach.features.payments.lookup import NOT_FOUND, PaymentError, resolve_txid
from dresbach.features.payments.model import (
    STATIC_TXID_LENGTH,
    Charge,
    ChargeStatus,
)
from dresbach.kernel.events import (
    ChargeExpired,
    ChargeExpiring,
    PaymentConfirmed,
    PaymentRejected,
    PixChargeCreated,
)
from dresbach.kernel.messages import PixPayee
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.store.database import to_utc, utc
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import leads, media_blobs, payment_receipts, payments
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.effects import enqueue_job
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)


def _payment(connection: Connection, txid: str) -> Any:
    query = select(payments).where(payments.c.txid == txid)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return connection.execute(query).mappings().first()


def store_charge(
    engine: Engine,
    charge: Charge,
    job: Job,
    qr: bytes | None,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    payee: PixPayee | None = None,
) -> None:
    key = job.conversation_key or ""
    ref = None
    with engine.begin() as connection:
        insert_ignore(
            connection,
            payments,
            {
                "txid": charge.txid,
                "provider": charge.provider,
                "provider_id": charge.provider_id,
                "conversation_key": key,
                "lead_id": job.payload["lead_id"],
                "amount": str(charge.amount),
                "copia_e_cola": charge.copia_e_cola,
                "status": "active",
                "created_at": to_utc(charge.created_at),
                "expires_at": to_utc(charge.expires_at),
            },
            ["txid"],
        )
        if qr is not None:
            ref = "qr-" + hashlib.sha256(charge.copia_e_cola.encode()).hexdigest()[:32]
            insert_ignore(
                connection,
                media_blobs,
                {
                    "ref": ref,
                    "mime_type": "image/png",
                    "filename": f"pix-{charge.txid}.png",
                    "data": qr,
                    "created_at": now,
                },
                ["ref"],
            )
        deliver(
            connection,
            PixChargeCreated(
                event_id=f"{job.command_id}:created",
                conversation_key=key,
                timestamp=now,
                txid=charge.txid,
                amount=str(charge.amount),
                copia_e_cola=charge.copia_e_cola,
                expires_at=charge.expires_at,
                qr_media_ref=ref,
                payee=payee,
            ),
            now,
            policy,
            sealer,
            hooks,
        )


def settle_status(
    engine: Engine,
    status: ChargeStatus,
    by: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
) -> str:
    """Apply a re-queried (or operator-confirmed) status. Returns what happened, in words."""
    with engine.begin() as connection:
        row = _payment(connection, status.txid)
        if row is None:
            return "unknown"
        if row["status"] == "paid":
            return "already paid"
        expected = Decimal(row["amount"])
        key, txid = row["conversation_key"], row["txid"]
        if status.state == "paid":
            problem = None
            paid_at = to_utc(status.paid_at or now)
            if status.amount_paid != expected:
                problem = f"valor pago {status.amount_paid} diferente do cobrado {expected}"
            elif row["status"] in ("cancelled",):
                problem = "pagamento de uma cobrança cancelada"
            elif row["status"] == "expired" or paid_at > utc(row["expires_at"]):  # type: ignore[operator]
                problem = "pagamento de uma cobrança expirada"
            if problem is not None:
                connection.execute(
                    update(payments)
                    .where(payments.c.txid == txid)
                    .values(status="flagged", note=problem, amount_paid=str(status.amount_paid))
                )
                log.error("payment %s flagged for an operator: %s", txid, problem)
                return f"flagged: {problem}"
            connection.execute(
                update(payments)
                .where(payments.c.txid == txid)
                .values(
                    status="paid",
                    paid_at=paid_at,
                    amount_paid=str(status.amount_paid),
                    end_to_end_id=status.end_to_end_id,
                    decided_by=by,
                    decided_at=now,
                )
            )
            connection.execute(  # receipts under review are settled with their charge
                update(payment_receipts)
                .where(payment_receipts.c.txid == txid, payment_receipts.c.status == "pending")
                .values(status="approved")
            )
            connection.execute(  # the lead follows its payment, wherever the conversation is
                update(leads)
                .where(leads.c.lead_id == row["lead_id"])
                .values(status="paid", lost_reason=None, updated_at=now)
            )
            deliver(
                connection,
                PaymentConfirmed(
                    event_id=f"{txid}:paid",
                    conversation_key=key,
                    timestamp=now,
                    txid=txid,
                    amount=str(expected),
                    paid_at=paid_at,
                    confirmed_by=by,
                    lead_id=row["lead_id"],
                ),
                now,
                policy,
                sealer,
                hooks,
            )
            return "confirmed"
        if status.state in ("expired", "cancelled") and row["status"] == "active":
            connection.execute(
                update(payments).where(payments.c.txid == txid).values(status=status.state)
            )
            deliver(
                connection,
                ChargeExpired(
                    event_id=f"{txid}:expired", conversation_key=key, timestamp=now, txid=txid
                ),
                now,
                policy,
                sealer,
                hooks,
            )
            return status.state
        return "unchanged"


def reject(
    engine: Engine,
    txid: str,
    reason: str,
    by: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
) -> None:
    """An operator refuses a receipt: the charge stays open, the customer is told why. `txid`
    may be the one the payer's bank shows (`resolve_txid`)."""
    with engine.begin() as connection:
        txid = resolve_txid(connection, txid)
        row = _payment(connection, txid)
        if row is None:  # pragma: no cover - resolved above, in the same transaction
            raise PaymentError(NOT_FOUND.format(txid=txid, length=STATIC_TXID_LENGTH))
        if row["status"] == "paid":
            raise PaymentError(f"A cobrança {txid} já está paga.")
        connection.execute(
            update(payments)
            .where(payments.c.txid == txid)
            .values(note=f"recusado: {reason}", decided_by=by, decided_at=now)
        )
        connection.execute(
            update(payment_receipts)
            .where(payment_receipts.c.txid == txid, payment_receipts.c.status == "pending")
            .values(status="rejected")
        )
        deliver(
            connection,
            PaymentRejected(
                event_id=f"{txid}:rejected:{now.timestamp():.0f}",
                conversation_key=row["conversation_key"],
                timestamp=now,
                txid=txid,
                reason=reason,
            ),
            now,
            policy,
            sealer,
            hooks,
        )


def due_timers(
    engine: Engine, now: datetime, policy: Policy, sealer: Sealer, hooks: StepHooks
) -> list[tuple[str, str]]:
    """Send reminders, expire static charges; return (txid, provider) of non-static charges to
    re-query (expired ones, and open ones for reconciliation of a lost webhook)."""
    recheck: list[tuple[str, str]] = []
    with engine.begin() as connection:
        open_rows = (
            connection.execute(select(payments).where(payments.c.status == "active"))
            .mappings()
            .all()
        )
        for row in open_rows:
            expires_at = utc(row["expires_at"])
            assert expires_at is not None
            if expires_at <= now:
                if row["provider"] == "static":
                    connection.execute(
                        update(payments)
                        .where(payments.c.txid == row["txid"], payments.c.status == "active")
                        .values(status="expired")
                    )
                    deliver(
                        connection,
                        ChargeExpired(
                            event_id=f"{row['txid']}:expired",
                            conversation_key=row["conversation_key"],
                            timestamp=now,
                            txid=row["txid"],
                        ),
                        now,
                        policy,
                        sealer,
                        hooks,
                    )
                else:
                    recheck.append((row["txid"], row["provider"]))
                continue
            if row["reminded_at"] is None and expires_at - policy.payment_reminder_before <= now:
                connection.execute(
                    update(payments).where(payments.c.txid == row["txid"]).values(reminded_at=now)
                )
                deliver(
                    connection,
                    ChargeExpiring(
                        event_id=f"{row['txid']}:expiring",
                        conversation_key=row["conversation_key"],
                        timestamp=now,
                        txid=row["txid"],
                        expires_at=expires_at,
                    ),
                    now,
                    policy,
                    sealer,
                    hooks,
                )
            if row["provider"] != "static":
                recheck.append((row["txid"], row["provider"]))
    return recheck


def close_stale_leads(engine: Engine, now: datetime, policy: Policy) -> int:
    """Leads that stopped answering (qualified or offered, no news for `lead_stale_after`, no
    open or paid charge) are lost, with why."""
    open_charges = select(payments.c.lead_id).where(payments.c.status.in_(("active", "paid")))
    with engine.begin() as connection:
        closed = connection.execute(
            update(leads)
            .where(
                leads.c.status.in_(("qualified", "offered")),
                leads.c.updated_at < now - policy.lead_stale_after,
                leads.c.lead_id.not_in(open_charges),
            )
            .values(status="lost", lost_reason="stopped_answering", updated_at=now)
        ).rowcount
    return int(closed)


def enqueue_checks(engine: Engine, txids: list[str], now: datetime, reason: str) -> int:
    """Ask the job worker to re-query these charges (deduplicated per minute)."""
    bucket = now.strftime("%Y%m%d%H%M")
    count = 0
    with engine.begin() as connection:
        for txid in txids:
            count += enqueue_job(
                connection,
                command_id=f"verify:{txid}:{reason}:{bucket}",
                kind="verify_payment",
                payload={"txid": txid},
                now=now,
            )
    return count
