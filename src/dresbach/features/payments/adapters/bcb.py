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
from datetime import datetime
from typing import Final

import httpx
import orjson

from dresbach.features.payments.adapters.bcb_cob import (
    JsonObject,
    charge_of,
    checked_txid,
    cob_solicitada,
    status_of,
)
from dresbach.features.payments.model import (
    Charge,
    ChargeRequest,
    ChargeStatus,
    PaymentHint,
)
from dresbach.kernel.errors import DresbachError, PermanentError, TransientError

CertPath = str | os.PathLike[str]

NOTIFIED_TXID: Final = re.compile(r"[a-zA-Z0-9]{1,35}")
"""A txid as it may arrive in a webhook: the ``Pix`` schema allows 1 to 35 characters."""
DEFAULT_SCOPE: Final = "cob.write cob.read"
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
        txid = checked_txid(request.txid)
        body = cob_solicitada(request, self._pix_key)
        response = await self._api("PUT", f"/cob/{txid}", orjson.dumps(body))
        if response.is_success:
            return charge_of(_json_object(response, "PUT /cob"), txid, self.name)
        if _is_client_error(response) and response.status_code not in (401, 403):
            existing = await self._our_existing_charge(txid, body)
            if existing is not None:
                return existing
        raise _error(response, f"PUT /cob/{txid}")

    async def fetch_charge(self, txid: str, provider_id: str) -> ChargeStatus:
        txid = checked_txid(txid)
        response = await self._api("GET", f"/cob/{txid}")
        if not response.is_success:
            raise _error(response, f"GET /cob/{txid}")
        return status_of(_json_object(response, "GET /cob"), txid, provider_id or txid, self._clock)

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
        return charge_of(cob, txid, self.name) if same else None

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
