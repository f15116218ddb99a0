"""The BCB "API Pix" v2 adapter: immediate charges (``cob``) at any PSP that follows the spec.

* Auth: OAuth2 client credentials (``grant_type=client_credentials``, HTTP Basic
  ``client_id:client_secret``, form body) over mTLS; the same client certificate is presented to
  the API. The token is cached until shortly before ``expires_in`` and renewed once on a 401.
* ``create_charge``: ``PUT {base}/cob/{txid}`` with a ``CobSolicitada``. Our txid is derived from
  the command id, so a retry re-PUTs the same txid. Some PSPs answer such a re-PUT with an error;
  then the charge is read back (``GET``) and, if it is ours (same amount and key, ``ATIVA`` or
  already ``CONCLUIDA``), returned as the success it is.
* ``fetch_charge``: ``GET {base}/cob/{txid}``. ``CONCLUIDA`` → "paid", with the sum of
  ``pix[].valor`` less completed refunds (``devolucoes`` in ``DEVOLVIDO``); ``ATIVA`` past
  ``criacao + expiracao`` → "expired" (the BCB keeps expired charges ``ATIVA``); ``REMOVIDA_*``
  → "cancelled".
* Errors: timeouts, transport failures, 408, 429 and 5xx → ``TransientError``; any other 4xx and
  answers that break the spec → ``PermanentError`` (with the problem-details title and detail).

Amounts are ``Decimal`` end to end: ``valor.original`` is written with ``format(amount, "f")``
and ``pix[].valor`` is read with ``Decimal(text)``; no float anywhere.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import httpx
import orjson

from dresbach.features.payments.model import (
    Charge,
    ChargeRequest,
    ChargeState,
    ChargeStatus,
    PaymentHint,
)
from dresbach.kernel.documents import DocumentError, parse_document
from dresbach.kernel.errors import DresbachError, PermanentError, TransientError
from dresbach.kernel.money import money

JsonObject = dict[str, Any]
CertPath = str | os.PathLike[str]

TXID: Final = re.compile(r"[a-zA-Z0-9]{26,35}")
"""A ``cob`` txid (API Pix). A static BR Code's txid (≤ 25) is another rule."""
NOTIFIED_TXID: Final = re.compile(r"[a-zA-Z0-9]{1,35}")
"""A txid as it may arrive in a webhook: the ``Pix`` schema allows 1 to 35 characters."""
AMOUNT: Final = re.compile(r"[0-9]{1,10}\.[0-9]{2}")
DEFAULT_SCOPE: Final = "cob.write cob.read"
SOLICITACAO_PAGADOR_MAX: Final = 140
DEVEDOR_NOME_MAX: Final = 200
EXPIRACAO_MAX: Final = 2**31 - 1
DEFAULT_EXPIRACAO: Final = 86400
_TOKEN_MARGIN_MAX: Final = 60.0
_DEFAULT_TOKEN_LIFETIME: Final = 300
_RETRYABLE: Final = frozenset({408, 425, 429})
_OURS_WHEN_REPUT: Final = frozenset({"ATIVA", "CONCLUIDA"})


def mtls_context(
    cert_file: CertPath | None, key_file: CertPath | None, ca_file: CertPath | None
) -> ssl.SSLContext:
    """A client TLS context (TLS ≥ 1.2) trusting ``ca_file`` (the system CAs when empty) and
    presenting ``cert_file``/``key_file`` (no client certificate when ``cert_file`` is empty; the
    key may be inside ``cert_file``)."""
    context = ssl.create_default_context(cafile=ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if cert_file:
        context.load_cert_chain(cert_file, key_file or None)
    return context


class BcbPixGateway:
    """A PSP's API Pix v2 at ``base_url`` (e.g. ``https://pix.psp.com.br/api/v2``).

    Reads the certificate files when built (not at import). ``transport`` replaces the network
    (``httpx.MockTransport`` in tests); the TLS context is then unused. Call ``aclose()`` at
    shutdown.
    """

    name = "bcb"

    def __init__(
        self,
        *,
        base_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        cert_file: CertPath | None,
        key_file: CertPath | None,
        ca_file: CertPath | None,
        pix_key: str,
        clock: Callable[[], datetime],
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        scope: str | None = DEFAULT_SCOPE,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._token_url = token_url
        self._basic = httpx.BasicAuth(client_id, client_secret)
        self._pix_key = pix_key
        self._clock = clock
        self._scope = scope
        self._client = httpx.AsyncClient(
            verify=mtls_context(cert_file, key_file, ca_file),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"Accept": "application/json"},
            transport=transport,
        )
        self._token: str | None = None
        self._token_valid_until = 0.0
        self._token_lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self._client.aclose()

    # ---- the port ------------------------------------------------------------------------------

    async def create_charge(self, request: ChargeRequest) -> Charge:
        txid = _checked_txid(request.txid)
        body = self._cob_solicitada(request)
        response = await self._api("PUT", f"/cob/{txid}", orjson.dumps(body))
        if response.is_success:
            return self._charge(_json_object(response, "PUT /cob"), txid)
        if _is_client_error(response) and response.status_code not in (401, 403):
            existing = await self._our_existing_charge(txid, body)
            if existing is not None:
                return existing
        raise _error(response, f"PUT /cob/{txid}")

    async def fetch_charge(self, txid: str, provider_id: str) -> ChargeStatus:
        txid = _checked_txid(txid)
        response = await self._api("GET", f"/cob/{txid}")
        if not response.is_success:
            raise _error(response, f"GET /cob/{txid}")
        return self._status(_json_object(response, "GET /cob"), txid, provider_id or txid)

    # ---- building and reading cob --------------------------------------------------------------

    def _cob_solicitada(self, request: ChargeRequest) -> JsonObject:
        if not 0 < request.expires_in_seconds <= EXPIRACAO_MAX:
            raise PermanentError(f"API Pix: invalid expiry {request.expires_in_seconds} s")
        body: JsonObject = {
            "calendario": {"expiracao": request.expires_in_seconds},
            "valor": {"original": format_amount(request.amount)},
            "chave": self._pix_key,
        }
        description = " ".join(request.description.split())
        if description:
            body["solicitacaoPagador"] = description[:SOLICITACAO_PAGADOR_MAX]
        devedor = _devedor(request.payer_name, request.payer_document)
        if devedor is not None:
            body["devedor"] = devedor
        return body

    async def _our_existing_charge(self, txid: str, sent: JsonObject) -> Charge | None:
        """After a refused PUT: the charge already at the PSP, if it is the one we asked for."""
        response = await self._api("GET", f"/cob/{txid}")
        if not response.is_success:
            return None
        cob = _json_object(response, "GET /cob")
        valor = cob.get("valor")
        same = (
            cob.get("status") in _OURS_WHEN_REPUT
            and isinstance(valor, dict)
            and valor.get("original") == sent["valor"]["original"]
            and cob.get("chave") == sent["chave"]
        )
        return self._charge(cob, txid) if same else None

    def _charge(self, cob: JsonObject, txid: str) -> Charge:
        _check_same_txid(cob, txid)
        copia_e_cola = cob.get("pixCopiaECola")
        if not isinstance(copia_e_cola, str) or not copia_e_cola:
            raise PermanentError("API Pix: the cob came without pixCopiaECola")
        created_at, expires_at = _lifetime(cob)
        valor = cob.get("valor")
        original = valor.get("original") if isinstance(valor, dict) else None
        return Charge(
            txid=txid,
            provider=self.name,
            provider_id=txid,
            copia_e_cola=copia_e_cola,
            amount=_decimal(original, "valor.original"),
            created_at=created_at,
            expires_at=expires_at,
        )

    def _status(self, cob: JsonObject, txid: str, provider_id: str) -> ChargeStatus:
        _check_same_txid(cob, txid)
        status = cob.get("status")
        if status == "CONCLUIDA":
            return _paid(cob, txid, provider_id)
        if status == "ATIVA":
            _, expires_at = _lifetime(cob)
            state: ChargeState = "expired" if self._clock() >= expires_at else "active"
            return ChargeStatus(txid=txid, provider_id=provider_id, state=state)
        # The enum says REMOVIDA_*, the spec's prose says REMOVIDO_*: accept both.
        if isinstance(status, str) and status.startswith(("REMOVIDA_", "REMOVIDO_")):
            return ChargeStatus(txid=txid, provider_id=provider_id, state="cancelled")
        raise PermanentError(f"API Pix: unknown cob status {status!r}")

    # ---- HTTP ----------------------------------------------------------------------------------

    async def _api(self, method: str, path: str, content: bytes | None = None) -> httpx.Response:
        """One API call with a bearer token; on a 401, one more with a fresh token."""
        token = await self._access_token()
        response = await self._send_api(method, path, token, content)
        if response.status_code == 401:
            token = await self._access_token(stale=token)
            response = await self._send_api(method, path, token, content)
        return response

    async def _send_api(
        self, method: str, path: str, token: str, content: bytes | None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        return await _transmit(
            self._client.request(method, self._base + path, content=content, headers=headers)
        )

    async def _access_token(self, *, stale: str | None = None) -> str:
        """The cached token, or a new one when it is near expiry or equals ``stale`` (refused)."""
        async with self._token_lock:
            fresh = time.monotonic() < self._token_valid_until
            if self._token is not None and fresh and self._token != stale:
                return self._token
            form = {"grant_type": "client_credentials"}
            if self._scope:
                form["scope"] = self._scope
            response = await _transmit(
                self._client.post(self._token_url, data=form, auth=self._basic)
            )
            if not response.is_success:
                raise _error(response, "OAuth token")
            body = _json_object(response, "OAuth token")
            token = body.get("access_token")
            if not isinstance(token, str) or not token:
                raise PermanentError("API Pix: the token answer has no access_token")
            lifetime = _seconds(body.get("expires_in"))
            margin = min(_TOKEN_MARGIN_MAX, lifetime / 10)
            self._token = token
            self._token_valid_until = time.monotonic() + max(0.0, lifetime - margin)
            return token


# ---- webhook -----------------------------------------------------------------------------------


def parse_notification(body: bytes) -> list[PaymentHint]:
    """The txids in a webhook callback (``POST {webhookUrl}/pix``), each a hint to re-query.

    Accepts the spec's ``{"pix": [...]}`` and the bare array some PSPs (Inter) send. Items without
    a (valid) txid are skipped: only charges we created have one. Raises ``ValueError`` when the
    body is not JSON or not one of the two shapes.
    """
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"Pix webhook: body is not JSON ({error})") from error
    items = decoded.get("pix") if isinstance(decoded, dict) else decoded
    if not isinstance(items, list):
        raise ValueError('Pix webhook: expected {"pix": [...]} or a JSON array')
    hints: list[PaymentHint] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("Pix webhook: every pix item must be an object")
        txid = item.get("txid")
        if isinstance(txid, str) and NOTIFIED_TXID.fullmatch(txid) and txid not in seen:
            seen.add(txid)
            hints.append(PaymentHint(txid=txid, provider_id=txid))
    return hints


# ---- helpers -----------------------------------------------------------------------------------


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


def _checked_txid(txid: str) -> str:
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


def _seconds(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return float(value)
    return float(_DEFAULT_TOKEN_LIFETIME)


async def _transmit(sending: Awaitable[httpx.Response]) -> httpx.Response:
    """Await an httpx call, turning timeouts and transport failures into TransientError."""
    try:
        response = await sending
    except httpx.TimeoutException as error:
        raise TransientError(f"API Pix timeout: {type(error).__name__}") from error
    except httpx.TransportError as error:
        raise TransientError(f"API Pix unreachable: {type(error).__name__}: {error}") from error
    return response


def _json_object(response: httpx.Response, what: str) -> JsonObject:
    try:
        decoded = orjson.loads(response.content)
    except orjson.JSONDecodeError as error:
        raise PermanentError(f"API Pix {what}: the answer is not JSON") from error
    if not isinstance(decoded, dict):
        raise PermanentError(f"API Pix {what}: the answer is not a JSON object")
    return decoded


def _is_client_error(response: httpx.Response) -> bool:
    return 400 <= response.status_code < 500 and response.status_code not in _RETRYABLE


def _error(response: httpx.Response, what: str) -> DresbachError:
    """A failed answer as TransientError (408/425/429/5xx) or PermanentError (other 4xx),
    with the RFC 7807 problem's title, detail and violations when the PSP sent them."""
    status = response.status_code
    try:
        problem = orjson.loads(response.content) if response.content else {}
    except orjson.JSONDecodeError:
        problem = {}
    parts = [f"API Pix {what}: HTTP {status}"]
    if isinstance(problem, dict):
        for key in ("title", "detail"):
            if isinstance(problem.get(key), str):
                parts.append(problem[key])
        for violation in problem.get("violacoes") or ():
            if isinstance(violation, dict) and isinstance(violation.get("razao"), str):
                parts.append(violation["razao"])
    message = " - ".join(parts)
    if status >= 500 or status in _RETRYABLE:
        return TransientError(message, code=status, retry_after=_retry_after(response))
    return PermanentError(message, code=status)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None
