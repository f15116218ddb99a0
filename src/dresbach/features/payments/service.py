"""Pix payments: charges created by jobs, confirmations that cannot be fooled, reminders and
expiry. A provider's notification is only a hint: the charge is re-queried, and txid, amount
and status are checked before `PaymentConfirmed` reaches the conversation (once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select

from dresbach.features.payments.lookup import (
    PaymentError,
    find_txid,
    provider_id_of,
    recorded_status,
    resolve_txid,
)
from dresbach.features.payments.model import (
    ChargeRequest,
    ChargeStatus,
    PaymentHint,
    is_money_pattern,
    txid_for,
)
from dresbach.features.payments.ports import PaymentGateway
from dresbach.features.payments.records import (
    close_stale_leads,
    due_timers,
    enqueue_checks,
    reject,
    settle_status,
    store_charge,
)
from dresbach.kernel.errors import PermanentError
from dresbach.kernel.events import ChargeFailed, InternalEvent
from dresbach.kernel.messages import PixPayee
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.store.database import Database
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import payments
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.jobs import Job

__all__ = [
    "PaymentError",
    "PaymentService",
    "close_stale_leads",
    "due_timers",
    "recorded_status",
    "settle_status",
    "store_charge",
]

log = logging.getLogger(__name__)

NO_AMOUNTS = (
    "Escreva o motivo sem valores em dinheiro: o assistente não envia ao cliente valores além "
    'da taxa do diagnóstico. Por exemplo: "o valor do comprovante é diferente do cobrado".'
)


class PaymentService:
    """The payment use cases, for the job worker, the webhooks and the operators."""

    def __init__(
        self,
        db: Database,
        gateway: PaymentGateway,
        policy: Policy,
        *,
        qr_png: Callable[[str], bytes] | None,
        on_enqueued: Callable[[], None] = lambda: None,
        on_job: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sealer: Sealer,
        hooks: StepHooks,
        native: PixPayee | None = None,
    ) -> None:
        self.db, self.gateway, self.policy, self.sealer = db, gateway, policy, sealer
        self.hooks = hooks
        self.native = native
        """Who a native Pix order pays; None sends charges as QR and text."""
        self.qr_png, self.on_enqueued, self.on_job, self.clock = qr_png, on_enqueued, on_job, clock

    # ---- jobs ----------------------------------------------------------------------------
    def _document(self, payload: dict[str, Any]) -> str | None:
        """The payer's CNPJ, sealed in the job (never in clear at rest)."""
        if payload.get("sealed"):
            opened = orjson.loads(self.sealer.open(payload["sealed"]))
            return str(opened["document"]) or None
        document = payload.get("payer_document")
        return str(document) if document else None

    async def create_charge(self, job: Job) -> None:
        p = job.payload
        request = ChargeRequest(
            txid=txid_for(job.command_id),
            amount=Decimal(p["amount"]),
            description=p["description"],
            expires_in_seconds=int(self.policy.pix_expiry.total_seconds()),
            payer_name=p.get("payer_name"),
            payer_email=p.get("payer_email"),
            payer_document=self._document(p),
        )
        charge = await self.gateway.create_charge(request)
        qr = self.qr_png(charge.copia_e_cola) if self.qr_png else None
        await self.db.run(
            store_charge,
            self.db.engine,
            charge,
            job,
            qr,
            self.clock(),
            self.policy,
            self.sealer,
            self.hooks,
            self.native,
        )
        self.on_enqueued()

    async def charge_failed(self, job: Job, reason: str) -> None:
        event = ChargeFailed(
            event_id=f"{job.command_id}:failed",
            conversation_key=job.conversation_key or "",
            timestamp=self.clock(),
            reason=reason,
        )
        await self.db.run(self._deliver_alone, event)
        self.on_enqueued()

    def _deliver_alone(self, event: InternalEvent) -> None:
        with self.db.engine.begin() as connection:
            deliver(connection, event, self.clock(), self.policy, self.sealer, self.hooks)

    async def verify(self, job: Job) -> None:
        txid = job.payload["txid"]
        provider_id = await self.db.run(provider_id_of, self.db.engine, txid)
        if provider_id is None:
            raise PermanentError(f"no charge {txid}")
        status = await self.gateway.fetch_charge(txid, provider_id)
        if status.txid != txid:
            raise PermanentError(f"the provider answered for {status.txid}, not {txid}")
        result = await self.db.run(
            settle_status,
            self.db.engine,
            status,
            self.gateway.name,
            self.clock(),
            self.policy,
            self.sealer,
            self.hooks,
        )
        log.info("payment %s re-queried: %s", txid, result)
        self.on_enqueued()

    # ---- webhooks and timers ---------------------------------------------------------------
    async def hinted(self, hints: list[PaymentHint]) -> int:
        txids = []
        for hint in hints:
            txid = await self.db.run(find_txid, self.db.engine, hint)
            if txid is not None:
                txids.append(txid)
        count = await self.db.run(enqueue_checks, self.db.engine, txids, self.clock(), "hint")
        self.on_job()
        return count

    async def sweep(self) -> None:
        await self.db.run(close_stale_leads, self.db.engine, self.clock(), self.policy)
        recheck = await self.db.run(
            due_timers, self.db.engine, self.clock(), self.policy, self.sealer, self.hooks
        )
        self.on_enqueued()
        if recheck:
            txids = [txid for txid, _provider in recheck]
            await self.db.run(enqueue_checks, self.db.engine, txids, self.clock(), "sweep")
            self.on_job()

    # ---- operators -------------------------------------------------------------------------
    def resolve(self, typed: str) -> str:
        """The whole txid of the charge an operator typed: its own txid, or the one its BR Code
        carries (what the payer's bank shows). PaymentError when none or several match."""
        with self.db.engine.connect() as connection:
            return resolve_txid(connection, typed)

    def confirm_manually(self, txid: str, operator: str) -> str:
        """An operator confirms a static Pix (seen in the bank statement or a receipt); `txid`
        may be the one the payer's bank shows."""
        with self.db.engine.connect() as connection:
            txid = resolve_txid(connection, txid)
            row = (
                connection.execute(select(payments).where(payments.c.txid == txid))
                .mappings()
                .first()
            )
        if row is None:  # pragma: no cover - resolved above
            raise PaymentError(f"Cobrança {txid} não encontrada.")
        if row["provider"] != "static":
            raise PaymentError(
                f"A cobrança {txid} é do provedor {row['provider']}: ela é confirmada pela "
                "consulta ao banco, não manualmente."
            )
        now = self.clock()
        status = ChargeStatus(
            txid=txid,
            provider_id=row["provider_id"],
            state="paid",
            amount_paid=Decimal(row["amount"]),
            paid_at=now,
        )
        result = settle_status(
            self.db.engine, status, operator, now, self.policy, self.sealer, self.hooks
        )
        if result.startswith("flagged"):
            raise PaymentError(f"Pagamento sinalizado: {result.removeprefix('flagged: ')}.")
        return result

    def reject(self, txid: str, reason: str, operator: str) -> None:
        """Refuse a receipt; the customer reads `reason`. A reason with an amount of money is
        refused here: the Tech Ops guard would hold the message back, and the customer would
        never learn why."""
        if is_money_pattern(reason):
            raise PaymentError(NO_AMOUNTS)
        reject(
            self.db.engine,
            txid,
            reason,
            operator,
            self.clock(),
            self.policy,
            self.sealer,
            self.hooks,
        )
