"""The API Pix v2's ``cob``, pure: the ``CobSolicitada`` we send, and the charge and its status
read from the ``cob`` a PSP answers, every field checked against the spec (amounts as
``Decimal``, timestamps RFC 3339, expiracao in seconds). The wire is `bcb`'s."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from dresbach.features.payments.model import (
    Charge,
    ChargeRequest,
    ChargeState,
    ChargeStatus,
)
from dresbach.kernel.documents import DocumentError, parse_document
from dresbach.kernel.errors import PermanentError
from dresbach.kernel.money import money

JsonObject = dict[str, Any]

TXID: Final = re.compile(r"[a-zA-Z0-9]{26,35}")
"""A ``cob`` txid (API Pix). A static BR Code's txid (≤ 25) is another rule."""
AMOUNT: Final = re.compile(r"[0-9]{1,10}\.[0-9]{2}")
SOLICITACAO_PAGADOR_MAX: Final = 140
DEVEDOR_NOME_MAX: Final = 200
EXPIRACAO_MAX: Final = 2**31 - 1
DEFAULT_EXPIRACAO: Final = 86400


def cob_solicitada(request: ChargeRequest, pix_key: str) -> JsonObject:
    """The ``CobSolicitada`` we PUT for a charge."""
    if not 0 < request.expires_in_seconds <= EXPIRACAO_MAX:
        raise PermanentError(f"API Pix: invalid expiry {request.expires_in_seconds} s")
    body: JsonObject = {
        "calendario": {"expiracao": request.expires_in_seconds},
        "valor": {"original": format_amount(request.amount)},
        "chave": pix_key,
    }
    description = " ".join(request.description.split())
    if description:
        body["solicitacaoPagador"] = description[:SOLICITACAO_PAGADOR_MAX]
    devedor = _devedor(request.payer_name, request.payer_document)
    if devedor is not None:
        body["devedor"] = devedor
    return body


def charge_of(cob: JsonObject, txid: str, provider: str) -> Charge:
    """The charge a ``cob`` describes."""
    _check_same_txid(cob, txid)
    copia_e_cola = cob.get("pixCopiaECola")
    if not isinstance(copia_e_cola, str) or not copia_e_cola:
        raise PermanentError("API Pix: the cob came without pixCopiaECola")
    created_at, expires_at = _lifetime(cob)
    valor = cob.get("valor")
    original = valor.get("original") if isinstance(valor, dict) else None
    return Charge(
        txid=txid,
        provider=provider,
        provider_id=txid,
        copia_e_cola=copia_e_cola,
        amount=_decimal(original, "valor.original"),
        created_at=created_at,
        expires_at=expires_at,
    )


def status_of(
    cob: JsonObject, txid: str, provider_id: str, clock: Callable[[], datetime]
) -> ChargeStatus:
    """Where a ``cob`` stands: paid (with what was received), active, expired or cancelled."""
    _check_same_txid(cob, txid)
    status = cob.get("status")
    if status == "CONCLUIDA":
        return _paid(cob, txid, provider_id)
    if status == "ATIVA":
        _, expires_at = _lifetime(cob)
        state: ChargeState = "expired" if clock() >= expires_at else "active"
        return ChargeStatus(txid=txid, provider_id=provider_id, state=state)
    # The enum says REMOVIDA_*, the spec's prose says REMOVIDO_*: accept both.
    if isinstance(status, str) and status.startswith(("REMOVIDA_", "REMOVIDO_")):
        return ChargeStatus(txid=txid, provider_id=provider_id, state="cancelled")
    raise PermanentError(f"API Pix: unknown cob status {status!r}")


def format_amount(amount: Decimal) -> str:
    """``Decimal("1500")`` → ``"1500.00"`` (the ``\\d{1,10}\\.\\d{2}`` string), without float."""
    try:
        text = format(money(amount), "f")
    except (ValueError, ArithmeticError) as error:
        raise PermanentError(f"API Pix: invalid amount {amount!r}") from error
    if not AMOUNT.fullmatch(text):
        raise PermanentError(f"API Pix: amount out of range {text}")
    return text


def _devedor(name: str | None, document: str | None) -> JsonObject | None:
    """``{"cpf"|"cnpj", "nome"}`` when both a name and a valid CPF/CNPJ are known, else ``None``.

    A CNPJ may be alphanumeric (IN RFB 2.229/2024). An invalid document is left out rather than
    sent: the debtor is optional and the PSP would refuse the whole charge."""
    nome = " ".join((name or "").split())[:DEVEDOR_NOME_MAX]
    if not nome or not document:
        return None
    try:
        parsed = parse_document(document)
    except DocumentError:
        return None
    return {parsed.kind: parsed.value, "nome": nome}


def checked_txid(txid: str) -> str:
    if not TXID.fullmatch(txid):
        raise PermanentError(f"API Pix: txid must be 26 to 35 letters or digits, got {txid!r}")
    return txid


def _check_same_txid(cob: JsonObject, txid: str) -> None:
    if cob.get("txid", txid) != txid:
        raise PermanentError(f"API Pix: asked for cob {txid}, got {cob.get('txid')!r}")


def _paid(cob: JsonObject, txid: str, provider_id: str) -> ChargeStatus:
    pix = [item for item in cob.get("pix") or () if isinstance(item, dict)]
    if not pix:
        return ChargeStatus(txid=txid, provider_id=provider_id, state="paid")
    received = sum((_decimal(item.get("valor"), "pix[].valor") for item in pix), Decimal("0.00"))
    refunded = sum(
        (
            _decimal(refund.get("valor"), "devolucoes[].valor")
            for item in pix
            for refund in item.get("devolucoes") or ()
            if isinstance(refund, dict) and refund.get("status") == "DEVOLVIDO"
        ),
        Decimal("0.00"),
    )
    first = pix[0]
    end_to_end = first.get("endToEndId")
    return ChargeStatus(
        txid=txid,
        provider_id=provider_id,
        state="paid",
        amount_paid=received - refunded,
        paid_at=_timestamp(first.get("horario"), "pix[].horario"),
        end_to_end_id=end_to_end if isinstance(end_to_end, str) else None,
    )


def _lifetime(cob: JsonObject) -> tuple[datetime, datetime]:
    """``(criacao, criacao + expiracao)``; expiracao defaults to 86400 s as in the spec."""
    calendario = cob.get("calendario")
    if not isinstance(calendario, dict):
        raise PermanentError("API Pix: the cob came without calendario")
    created_at = _timestamp(calendario.get("criacao"), "calendario.criacao")
    expiracao = calendario.get("expiracao", DEFAULT_EXPIRACAO)
    if isinstance(expiracao, str) and expiracao.isdigit():
        expiracao = int(expiracao)
    if not isinstance(expiracao, int) or isinstance(expiracao, bool) or expiracao <= 0:
        raise PermanentError(f"API Pix: invalid calendario.expiracao {expiracao!r}")
    return created_at, created_at + timedelta(seconds=expiracao)


def _timestamp(value: object, field: str) -> datetime:
    """An RFC 3339 timestamp as an aware datetime (UTC assumed when the offset is missing)."""
    if not isinstance(value, str):
        raise PermanentError(f"API Pix: {field} missing")
    try:
        parsed = datetime.fromisoformat(value.strip().upper())
    except ValueError as error:
        raise PermanentError(f"API Pix: {field} is not RFC 3339: {value!r}") from error
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _decimal(value: object, field: str) -> Decimal:
    if not isinstance(value, str) or not AMOUNT.fullmatch(value):
        raise PermanentError(f"API Pix: {field} is not an amount: {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation as error:  # pragma: no cover - the pattern already ensures it
        raise PermanentError(f"API Pix: {field} is not an amount: {value!r}") from error
