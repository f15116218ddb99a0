"""What payments add to an operator's hand-off context: the latest charge of the lead (or of
the conversation)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, select

from dresbach.features.payments.model import STATUS_PT
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.money import format_brl
from dresbach.platform.feature import ContextSection, Refs
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import payments


def gather_payment(connection: Connection, key: str, refs: Refs) -> dict[str, Any] | None:
    lead_id = refs.get("lead_id")
    query = select(payments)
    if lead_id:
        query = query.where(payments.c.lead_id == lead_id)
    else:
        query = query.where(payments.c.conversation_key == key)
    query = query.order_by(payments.c.created_at.desc()).limit(1)
    payment = connection.execute(query).mappings().first()
    if payment is None:
        return None
    return {
        "txid": payment["txid"],
        "amount": payment["amount"],
        "status": payment["status"],
        "paid_at": iso(payment["paid_at"]),
    }


def _amount(text: str) -> str:
    try:
        return format_brl(Decimal(text))
    except InvalidOperation:
        return text


def payment_lines(payment: Mapping[str, Any]) -> list[str]:
    status = STATUS_PT.get(payment["status"], payment["status"])
    line = f"Pagamento: {_amount(payment['amount'])}, {status} (txid {payment['txid']})"
    if payment.get("paid_at"):
        paid_at = datetime.fromisoformat(payment["paid_at"]).astimezone(SAO_PAULO)
        line += f", pago em {paid_at:%d/%m/%Y}, {at_clock(paid_at)}"
    return [line]


PAYMENT = ContextSection(name="payment", gather=gather_payment, lines=payment_lines)
