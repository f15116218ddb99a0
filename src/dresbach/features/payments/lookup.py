"""Finding a payment: the charge an operator names (by its txid, or the part of it the payer's
bank shows), the one a provider's webhook hints at, and what our database knows of it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, Engine, and_, func, or_, select

from dresbach.features.payments.model import (
    STATIC_TXID_LENGTH,
    ChargeState,
    ChargeStatus,
    PaymentHint,
)
from dresbach.kernel.errors import PermanentError
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import payments


class PaymentError(ValueError):
    """An operator action that cannot be done; the message is pt-BR, for the operator."""


NOT_FOUND = (
    "Cobrança {txid} não encontrada. Informe o txid completo ou o que o banco mostra no Pix "
    "(os {length} primeiros caracteres)."
)
AMBIGUOUS = (
    "O txid {txid} serve para mais de uma cobrança ({found}): informe o txid completo da que "
    "você quer."
)


def resolve_txid(connection: Connection, typed: str) -> str:
    """The txid of the charge an operator names: by its whole txid, or by the txid its static BR
    Code carries, which is what the payer's bank shows (the first 25 characters); letter case
    does not matter. PaymentError when no charge, or more than one, answers to it."""
    wanted = "".join(typed.split())
    if not wanted:
        raise PaymentError("Informe o txid da cobrança.")
    exact = connection.execute(select(payments.c.txid).where(payments.c.txid == wanted)).scalar()
    if exact is not None:
        return str(exact)
    lowered = wanted.lower()
    carried = func.lower(func.substr(payments.c.txid, 1, STATIC_TXID_LENGTH))
    found = list(
        connection.execute(
            select(payments.c.txid)
            .where(
                or_(
                    func.lower(payments.c.txid) == lowered,
                    and_(payments.c.provider == "static", carried == lowered),
                )
            )
            .order_by(payments.c.txid)
            .limit(5)
        ).scalars()
    )
    if not found:
        raise PaymentError(NOT_FOUND.format(txid=wanted, length=STATIC_TXID_LENGTH))
    if len(found) > 1:
        raise PaymentError(AMBIGUOUS.format(txid=wanted, found=", ".join(found)))
    return str(found[0])


def find_txid(engine: Engine, hint: PaymentHint) -> str | None:
    with engine.connect() as connection:
        if hint.txid:
            found = connection.execute(
                select(payments.c.txid).where(payments.c.txid == hint.txid)
            ).scalar()
        else:
            found = connection.execute(
                select(payments.c.txid).where(payments.c.provider_id == hint.provider_id)
            ).scalar()
    return str(found) if found else None


def provider_id_of(engine: Engine, txid: str) -> str | None:
    with engine.connect() as connection:
        value = connection.execute(
            select(payments.c.provider_id).where(payments.c.txid == txid)
        ).scalar()
    return str(value) if value else None


def recorded_status(engine: Engine, txid: str) -> ChargeStatus:
    """What our database knows of a charge (the source of truth for a static Pix)."""
    with engine.connect() as connection:
        row = connection.execute(select(payments).where(payments.c.txid == txid)).mappings().first()
    if row is None:
        raise PermanentError(f"no charge {txid}")
    states: dict[str, ChargeState] = {
        "active": "active",
        "paid": "paid",
        "expired": "expired",
        "cancelled": "cancelled",
    }
    state = states.get(row["status"], "active")
    return ChargeStatus(
        txid=txid,
        provider_id=row["provider_id"],
        state=state,
        amount_paid=Decimal(row["amount_paid"]) if row["amount_paid"] else None,
        paid_at=utc(row["paid_at"]),
        end_to_end_id=row["end_to_end_id"],
    )
