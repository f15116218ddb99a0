"""The payments' registration: what the Pix commands become (a charge job, its payer's CNPJ
sealed; a receipt queued for review), the jobs' handlers and the sweep of pending charges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import Connection, func, select

from dresbach.features.payments.context import PAYMENT
from dresbach.features.payments.personal_data import PERSONAL_DATA
from dresbach.kernel.commands import CreatePixCharge, QueueReceiptReview
from dresbach.platform.feature import Feature, Jobs, Sweep
from dresbach.platform.inbound import media
from dresbach.platform.store.schema import payment_receipts, payments
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.effects import every_field, job, sealed

if TYPE_CHECKING:
    from dresbach.features.payments.service import PaymentService


class Built(Protocol):
    @property
    def payments(self) -> PaymentService: ...


def _charge(command: CreatePixCharge, sealer: Sealer | None) -> dict[str, Any]:
    payload = every_field(command, sealer)
    if command.payer_document:
        # a CNPJ is never stored in clear: sealed until the PSP gets it, then wiped
        payload["payer_document"] = None
        payload["sealed"] = sealed(sealer, {"document": command.payer_document})
    return payload


def _queue_receipt(
    connection: Connection,
    key: str,
    command: QueueReceiptReview,
    now: datetime,
    _sealer: Sealer | None,
) -> None:
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
    media.keep_with(connection, command.media_id, "payment")  # kept with its payment


def _jobs(built: Built) -> Jobs:
    service = built.payments
    return Jobs(
        handlers={"create_charge": service.create_charge, "verify_payment": service.verify},
        give_up={"create_charge": service.charge_failed},
    )


def _sweeps(built: Built) -> Sequence[Sweep]:
    return (built.payments.sweep,)


def _gauges(connection: Connection, _now: datetime) -> Iterable[Metric]:
    by_status = connection.execute(
        select(payments.c.status, func.count()).group_by(payments.c.status)
    ).all()
    charges = GaugeMetricFamily("dresbach_payments", "Pix charges by status", labels=["status"])
    for status, count in sorted(by_status):
        charges.add_metric([str(status)], count)
    return (charges,)


FEATURE = Feature(
    name="payments",
    effects={
        CreatePixCharge: job("create_charge", _charge),
        QueueReceiptReview: _queue_receipt,
    },
    jobs=_jobs,
    sweeps=_sweeps,
    gauges=_gauges,
    context=(PAYMENT,),
    personal_data=PERSONAL_DATA,
    wipe=frozenset({"create_charge"}),
)
