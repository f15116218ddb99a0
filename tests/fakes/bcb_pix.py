"""A faithful fake of a PSP's BCB "API Pix" v2 (immediate charges), over HTTPS with mTLS.

It answers like the spec (``shared/reference/bcb-pix-api-openapi.yaml``; notes §2):

* ``POST /oauth/token``: OAuth2 client credentials, HTTP Basic ``client_id:client_secret``, form
  body; answers ``access_token``, ``token_type``, ``expires_in`` and ``scope``.
* ``PUT /cob/{txid}``: a ``CobSolicitada`` checked like a PSP does (txid
  ``^[a-zA-Z0-9]{26,35}$``, ``valor.original`` ``\\d{1,10}\\.\\d{2}`` and not zero,
  ``calendario.expiracao`` > 0, ``chave``, ``devedor`` with ``nome`` and one of ``cpf``/``cnpj``,
  ``solicitacaoPagador`` ≤ 140) → 201 ``CobGerada`` whose ``pixCopiaECola`` is a dynamic BR Code
  built with :mod:`dresbach.features.payments.pix` (its URL is the
  ``location``). A re-PUT of an ``ATIVA``
  charge with the same body answers 200 and the same charge (or, with
  ``reject_duplicate_put``, 400 as some PSPs do); of any other charge, 400
  ``CobOperacaoInvalida``.
* ``GET /cob/{txid}``: the ``CobCompleta``, with ``pix[]`` once paid. An expired charge stays
  ``ATIVA``, as at a real PSP.
* Every ``/cob`` call needs a bearer token from ``/oauth/token`` with the right scope; errors are
  RFC 7807 problems (``type``, ``title``, ``status``, ``detail``, ``violacoes``).

:class:`FakeBcbPsp` serves it with uvicorn on 127.0.0.1 over TLS with a server certificate from
a ``trustme.CA`` and **requires** a client certificate issued by the same CA (mTLS). Certificate-
bound tokens (RFC 8705) are not checked. Test helpers: ``pay``, ``refund``, ``remove``,
``revoke_tokens``, ``fail_next`` and ``notify`` (the PSP's webhook, ``POST {url}/pix``).
"""

from __future__ import annotations

import base64
import itertools
import re
import secrets
import shutil
import ssl
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs

import httpx
import orjson
import trustme
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from dresbach.features.payments.pix import BrCode, build_brcode
from tests.fakes.serving import BackgroundServer

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_PIX_KEY",
    "BcbPspState",
    "FakeBcbPsp",
    "build_app",
]

JsonObject = dict[str, Any]

DEFAULT_CLIENT_ID: Final = "dresbach-pix-client"
DEFAULT_CLIENT_SECRET: Final = "fake-psp-secret"
DEFAULT_PIX_KEY: Final = "7d9f0335-8dcc-4054-9bf9-0dbd61d36906"
DEFAULT_SCOPES: Final = ("cob.write", "cob.read", "pix.read", "webhook.read", "webhook.write")
ERROR_BASE: Final = "https://pix.bcb.gov.br/api/v2/error/"

TXID: Final = re.compile(r"^[a-zA-Z0-9]{26,35}$")
AMOUNT: Final = re.compile(r"^[0-9]{1,10}\.[0-9]{2}$")
CPF: Final = re.compile(r"^[0-9]{11}$")  # the spec's "/^\d{11}$/" never matches; patched
CNPJ: Final = re.compile(r"^[0-9A-Z]{14}$")
ISPB: Final = "99999999"
_REMOVED: Final = ("REMOVIDA_PELO_USUARIO_RECEBEDOR", "REMOVIDA_PELO_PSP")


def rfc3339(moment: datetime) -> str:
    """``2020-09-09T20:15:00.358Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass(slots=True, kw_only=True)
class _Cob:
    txid: str
    request: JsonObject
    criacao: datetime
    loc_id: int
    location: str
    copia_e_cola: str
    status: str = "ATIVA"
    revisao: int = 0
    pix: list[JsonObject] = field(default_factory=list)

    def gerada(self) -> JsonObject:
        cob: JsonObject = {
            "calendario": {
                "criacao": rfc3339(self.criacao),
                "expiracao": self.request["calendario"]["expiracao"],
            },
            "txid": self.txid,
            "revisao": self.revisao,
            "loc": {
                "id": self.loc_id,
                "location": self.location,
                "tipoCob": "cob",
                "criacao": rfc3339(self.criacao),
            },
            "location": self.location,
            "status": self.status,
            "valor": {"original": self.request["valor"]["original"], "modalidadeAlteracao": 0},
            "chave": self.request["chave"],
            "pixCopiaECola": self.copia_e_cola,
        }
        for key in ("devedor", "solicitacaoPagador", "infoAdicionais"):
            if key in self.request:
                cob[key] = self.request[key]
        return cob

    def completa(self) -> JsonObject:
        cob = self.gerada()
        if self.pix:
            cob["pix"] = [dict(item) for item in self.pix]
        return cob


class _Problem(Exception):
    """An RFC 7807 answer, raised while checking a request."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        violations: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(title)
        self.status = status
        self.body: JsonObject = {
            "type": ERROR_BASE + kind,
            "title": title,
            "status": status,
            "detail": detail,
        }
        found = [{"razao": reason, "propriedade": prop} for reason, prop in violations]
        if found:
            self.body["violacoes"] = found


class BcbPspState:
    """The fake PSP's configuration and its thread-safe record of charges and calls.

    ``pix_key=None`` accepts any ``chave``. ``reject_duplicate_put`` makes a re-PUT of an ``ATIVA``
    charge answer 400 instead of 200. ``clock`` dates new charges and payments.
    """

    def __init__(
        self,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        pix_key: str | None = DEFAULT_PIX_KEY,
        merchant_name: str = "DRESBACH HOSTING",
        merchant_city: str = "SAO PAULO",
        location_prefix: str = "pix.fake-psp.local/qr/v2/",
        scopes: Iterable[str] = DEFAULT_SCOPES,
        token_lifetime: int = 3600,
        reject_duplicate_put: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.pix_key = pix_key
        self.merchant_name = merchant_name
        self.merchant_city = merchant_city
        self.location_prefix = location_prefix
        self.scopes = frozenset(scopes)
        self.token_lifetime = token_lifetime
        self.reject_duplicate_put = reject_duplicate_put
        self.clock = clock
        self._lock = threading.RLock()
        self._cobs: dict[str, _Cob] = {}
        self._tokens: dict[str, tuple[float, frozenset[str]]] = {}
        self._loc_ids = itertools.count(1001)
        self._fail_next: list[int] = []
        self.token_requests = 0
        self.calls: list[tuple[str, str, int]] = []
        """``(method, path, status)`` of every API call (token requests included)."""
        self.webhooks: list[object] = []
        """Bodies sent by :meth:`notify`, in order."""

    # ---- test helpers ----------------------------------------------------------------------

    def cob(self, txid: str) -> JsonObject | None:
        """The ``CobCompleta`` of ``txid`` as ``GET /cob`` would answer it, or ``None``."""
        with self._lock:
            found = self._cobs.get(txid)
            return found.completa() if found is not None else None

    def pay(
        self, txid: str, amount: Decimal | None = None, *, info_pagador: str | None = None
    ) -> str:
        """Settle a Pix for ``txid`` (by default of the charge's amount); returns its
        ``endToEndId``. The charge becomes ``CONCLUIDA``, even if it had expired."""
        with self._lock:
            cob = self._active(txid)
            value = amount if amount is not None else Decimal(cob.request["valor"]["original"])
            now = self.clock()
            e2e = "E" + ISPB + now.strftime("%Y%m%d%H%M") + secrets.token_hex(6)[:11]
            item: JsonObject = {
                "endToEndId": e2e,
                "txid": txid,
                "valor": f"{value.quantize(Decimal('0.01')):f}",
                "horario": rfc3339(now),
            }
            if info_pagador is not None:
                item["infoPagador"] = info_pagador
            cob.pix.append(item)
            cob.status = "CONCLUIDA"
            return e2e

    def refund(self, txid: str, amount: Decimal | None = None) -> None:
        """Return (all of, by default) the Pix received for ``txid``: a ``DEVOLVIDO`` refund."""
        with self._lock:
            cob = self._cobs[txid]
            if not cob.pix:
                raise ValueError(f"cob {txid} received no Pix")
            item = cob.pix[0]
            value = amount if amount is not None else Decimal(item["valor"])
            now = rfc3339(self.clock())
            item.setdefault("devolucoes", []).append(
                {
                    "id": uuid.uuid4().hex[:20],
                    "rtrId": "D" + ISPB + secrets.token_hex(12)[:23],
                    "valor": f"{value.quantize(Decimal('0.01')):f}",
                    "horario": {"solicitacao": now, "liquidacao": now},
                    "status": "DEVOLVIDO",
                }
            )

    def remove(self, txid: str, *, by_psp: bool = False) -> None:
        """Remove an ``ATIVA`` charge (``REMOVIDA_PELO_USUARIO_RECEBEDOR`` or ``_PELO_PSP``)."""
        with self._lock:
            self._active(txid).status = _REMOVED[1] if by_psp else _REMOVED[0]

    def revoke_tokens(self) -> None:
        """Forget every token issued: the next API call answers 401."""
        with self._lock:
            self._tokens.clear()

    def fail_next(self, *statuses: int) -> None:
        """The next ``/cob`` calls answer these statuses (e.g. 503), one each, in order."""
        with self._lock:
            self._fail_next.extend(statuses)

    def notify(
        self, url: str, txids: Iterable[str], *, bare_array: bool = False, timeout: float = 5.0
    ) -> int:
        """POST the PSP's webhook to ``{url}/pix``: ``{"pix": [...]}`` (or a bare array, as Inter
        does) with the Pix received for each txid; a txid not yet paid gets an item made up from
        the charge (a webhook is only a hint). Returns the HTTP status of the answer."""
        with self._lock:
            items: list[JsonObject] = []
            for txid in txids:
                cob = self._cobs[txid]
                items += [dict(item) for item in cob.pix] or [
                    {
                        "endToEndId": "E" + ISPB + secrets.token_hex(12)[:23],
                        "txid": txid,
                        "valor": cob.request["valor"]["original"],
                        "horario": rfc3339(self.clock()),
                    }
                ]
            body: object = items if bare_array else {"pix": items}
            self.webhooks.append(body)
        response = httpx.post(
            url.rstrip("/") + "/pix",
            content=orjson.dumps(body),
            headers={"Content-Type": "application/json"},
            timeout=timeout,
        )
        return response.status_code

    # ---- used by the app -------------------------------------------------------------------

    def _active(self, txid: str) -> _Cob:
        cob = self._cobs[txid]
        if cob.status != "ATIVA":
            raise ValueError(f"cob {txid} is {cob.status}, not ATIVA")
        return cob

    def _issue_token(self, scopes: frozenset[str]) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.token_requests += 1
            self._tokens[token] = (time.monotonic() + self.token_lifetime, scopes)
        return token

    def _check_token(self, header: str | None, scope: str) -> None:
        scheme, _, token = (header or "").partition(" ")
        with self._lock:
            found = self._tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if found is None or found[0] < time.monotonic():
            raise _Problem(401, "NaoAutorizado", "Não autorizado.", "Token ausente ou inválido.")
        if scope not in found[1]:
            raise _Problem(403, "AcessoNegado", "Acesso negado.", f"Falta o escopo {scope}.")

    def _injected_failure(self) -> None:
        with self._lock:
            status = self._fail_next.pop(0) if self._fail_next else None
        if status is not None:
            raise _Problem(status, "ServicoIndisponivel", "Serviço indisponível.", "Injetado.")

    def _put(self, txid: str, request: JsonObject) -> tuple[int, JsonObject]:
        with self._lock:
            existing = self._cobs.get(txid)
            if existing is not None:
                same = existing.request == request
                if existing.status == "ATIVA" and same and not self.reject_duplicate_put:
                    return 200, existing.gerada()
                raise _Problem(
                    400,
                    "CobOperacaoInvalida",
                    "Cobrança inválida.",
                    f"O txid {txid} já foi utilizado (cobrança {existing.status}).",
                )
            location = self.location_prefix + uuid.uuid4().hex
            copia_e_cola = build_brcode(
                BrCode(
                    key="",
                    merchant_name=self.merchant_name,
                    merchant_city=self.merchant_city,
                    amount=Decimal(request["valor"]["original"]),
                    url=location,
                    point_of_initiation_unique=True,
                )
            )
            cob = _Cob(
                txid=txid,
                request=request,
                criacao=self.clock(),
                loc_id=next(self._loc_ids),
                location=location,
                copia_e_cola=copia_e_cola,
            )
            self._cobs[txid] = cob
            return 201, cob.gerada()

    def _get(self, txid: str) -> JsonObject:
        found = self.cob(txid)
        if found is None:
            raise _Problem(
                404, "CobNaoEncontrado", "Cobrança não encontrada.", f"Nenhuma cob {txid}."
            )
        return found

    def _record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.calls.append((method, path, status))


# ---- the app -----------------------------------------------------------------------------------


def build_app(state: BcbPspState) -> Starlette:
    """The Starlette app of the fake PSP, answering from and recording into ``state``."""

    async def token(request: Request) -> Response:
        status, body = _token_answer(
            state, request.headers.get("authorization"), await request.body()
        )
        state._record("POST", "/oauth/token", status)
        headers = {"WWW-Authenticate": 'Basic realm="pix"'} if status == 401 else None
        return _json(body, status, headers=headers)

    async def cob(request: Request) -> Response:
        txid = str(request.path_params["txid"])
        try:
            write = request.method == "PUT"
            state._check_token(
                request.headers.get("authorization"), "cob.write" if write else "cob.read"
            )
            state._injected_failure()
            if write:
                status, body = state._put(txid, _check_cob(state, txid, await request.body()))
            else:
                status, body = 200, state._get(txid)
        except _Problem as problem:
            state._record(request.method, f"/cob/{txid}", problem.status)
            return _json(problem.body, problem.status, media_type="application/problem+json")
        state._record(request.method, f"/cob/{txid}", status)
        return _json(body, status)

    return Starlette(
        routes=[
            Route("/oauth/token", token, methods=["POST"]),
            Route("/cob/{txid}", cob, methods=["PUT", "GET"]),
        ]
    )


def _json(
    body: object,
    status: int,
    *,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=headers)


def _token_answer(state: BcbPspState, header: str | None, raw: bytes) -> tuple[int, JsonObject]:
    scheme, _, encoded = (header or "").partition(" ")
    try:
        client_id, _, secret = (
            base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        )
    except (ValueError, UnicodeDecodeError):
        client_id, secret = "", ""
    valid = (
        scheme.lower() == "basic"
        and secrets.compare_digest(client_id.encode(), state.client_id.encode())
        and secrets.compare_digest(secret.encode(), state.client_secret.encode())
    )
    if not valid:
        return 401, {"error": "invalid_client"}
    form = {key: values[-1] for key, values in parse_qs(raw.decode("utf-8", "replace")).items()}
    if form.get("grant_type") != "client_credentials":
        return 400, {"error": "unsupported_grant_type"}
    asked = frozenset(form.get("scope", "").split()) or state.scopes
    if not asked <= state.scopes:
        return 400, {"error": "invalid_scope"}
    return 200, {
        "access_token": state._issue_token(asked),
        "token_type": "Bearer",
        "expires_in": state.token_lifetime,
        "scope": " ".join(sorted(asked)),
    }


def _check_cob(state: BcbPspState, txid: str, raw: bytes) -> JsonObject:
    """The request body as a CobSolicitada, or a 400 ``CobOperacaoInvalida`` saying why."""
    violations: list[tuple[str, str]] = []
    if not TXID.fullmatch(txid):
        violations.append(("O txid não respeita o schema [a-zA-Z0-9]{26,35}.", "txid"))
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise _Problem(400, "CobOperacaoInvalida", "Cobrança inválida.", "Corpo não é JSON.")
    calendario = body.setdefault("calendario", {})
    expiracao = calendario.setdefault("expiracao", 86400) if isinstance(calendario, dict) else 0
    if not isinstance(expiracao, int) or isinstance(expiracao, bool) or expiracao <= 0:
        violations.append(
            (
                "O campo cob.calendario.expiracao é menor ou igual a zero.",
                "cob.calendario.expiracao",
            )
        )
    valor = body.get("valor")
    original = valor.get("original") if isinstance(valor, dict) else None
    if not isinstance(original, str) or not AMOUNT.fullmatch(original):
        violations.append(
            ("O campo cob.valor.original não respeita o schema.", "cob.valor.original")
        )
    elif Decimal(original) == 0:
        violations.append(("O campo cob.valor.original é zero.", "cob.valor.original"))
    chave = body.get("chave")
    if not isinstance(chave, str) or not 0 < len(chave) <= 77:
        violations.append(("O campo cob.chave não respeita o schema.", "cob.chave"))
    elif state.pix_key is not None and chave != state.pix_key:
        violations.append(("A chave não pertence a este usuário recebedor.", "cob.chave"))
    solicitacao = body.get("solicitacaoPagador")
    if solicitacao is not None and not (isinstance(solicitacao, str) and len(solicitacao) <= 140):
        violations.append(
            ("O campo cob.solicitacaoPagador passa de 140.", "cob.solicitacaoPagador")
        )
    if "devedor" in body and not _valid_devedor(body["devedor"]):
        violations.append(("O objeto cob.devedor não respeita o schema.", "cob.devedor"))
    if violations:
        raise _Problem(
            400,
            "CobOperacaoInvalida",
            "Cobrança inválida.",
            "A requisição que busca alterar ou criar uma cobrança para pagamento imediato não "
            "respeita o schema ou está semanticamente errada.",
            violations,
        )
    return body


def _valid_devedor(devedor: object) -> bool:
    if not isinstance(devedor, dict):
        return False
    nome = devedor.get("nome")
    if not isinstance(nome, str) or not 0 < len(nome) <= 200:
        return False
    cpf, cnpj = devedor.get("cpf"), devedor.get("cnpj")
    if cpf is not None and cnpj is not None:
        return False
    if cpf is not None:
        return isinstance(cpf, str) and bool(CPF.fullmatch(cpf))
    return isinstance(cnpj, str) and bool(CNPJ.fullmatch(cnpj))


# ---- the server --------------------------------------------------------------------------------


class FakeBcbPsp(BackgroundServer):
    """Serve the fake PSP over HTTPS with mandatory client certificates, from a background
    thread: ``with FakeBcbPsp(ca) as psp: ...`` (or ``start()`` / ``stop()``).

    The server certificate (for ``127.0.0.1`` and ``localhost``) comes from ``ca``; clients must
    present a certificate from the same CA. ``state`` holds the charges and the test helpers,
    which are also reachable as ``psp.pay(...)``, ``psp.remove(...)`` and ``psp.notify(...)``.
    """

    label = "the fake PSP"

    def __init__(
        self,
        ca: trustme.CA,
        state: BcbPspState | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 10.0,
    ) -> None:
        super().__init__(host=host, port=port, startup_timeout=startup_timeout)
        self._ca = ca
        self.state = state if state is not None else BcbPspState()
        self._directory: Path | None = None

    def app(self) -> ASGIApp:
        return build_app(self.state)

    def server_options(self) -> dict[str, Any]:
        """A server certificate from the CA, and client certificates required (mTLS)."""
        self._directory = Path(tempfile.mkdtemp(prefix="fake-bcb-psp-"))
        server_cert = self._ca.issue_cert("127.0.0.1", "localhost")
        cert_file, key_file = self._directory / "server.pem", self._directory / "server.key"
        ca_file = self._directory / "ca.pem"
        server_cert.cert_chain_pems[0].write_to_path(str(cert_file))
        for extra in server_cert.cert_chain_pems[1:]:
            extra.write_to_path(str(cert_file), append=True)
        server_cert.private_key_pem.write_to_path(str(key_file))
        self._ca.cert_pem.write_to_path(str(ca_file))
        return {
            "ssl_certfile": str(cert_file),
            "ssl_keyfile": str(key_file),
            "ssl_ca_certs": str(ca_file),
            "ssl_cert_reqs": ssl.CERT_REQUIRED,
        }

    @property
    def base_url(self) -> str:
        """``https://127.0.0.1:PORT``: where ``/cob/{txid}`` lives."""
        return f"https://{self._host}:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    def pay(self, txid: str, amount: Decimal | None = None) -> str:
        return self.state.pay(txid, amount)

    def remove(self, txid: str, *, by_psp: bool = False) -> None:
        self.state.remove(txid, by_psp=by_psp)

    def notify(self, url: str, txids: Iterable[str], bare_array: bool = False) -> int:
        return self.state.notify(url, txids, bare_array=bare_array)

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server down, wait for its thread and delete its certificate files."""
        super().stop(timeout)
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
