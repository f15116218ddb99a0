"""What `dresbach doctor` checks: each configured integration, reached the cheapest way that
proves the credentials work, with a short timeout. Nothing is created, sent or changed.

Every check returns a `Finding` whose detail is for an operator, in Portuguese, and names the
setting to fix. Details never hold a secret (the command masks the known ones again anyway).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from dresbach.config import Settings
from dresbach.platform.store.database import MIGRATIONS, normalize_url

Status = Literal["ok", "falha", "aviso", "desligado"]

OK: Final = "ok"
FAIL: Final = "falha"
WARN: Final = "aviso"
OFF: Final = "desligado"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    check: str
    status: Status
    detail: str


Check = Callable[[Settings, float], Finding | list[Finding]]
"""A check: one finding, or one per thing it reaches (each WHM server)."""


def first_line(error: BaseException) -> str:
    found = str(error).strip().splitlines()
    return f"{type(error).__name__}: {found[0]}" if found else type(error).__name__


def unreachable(check: str, url: str, error: httpx.HTTPError, setting: str) -> Finding:
    host = httpx.URL(url).host or url
    if isinstance(error, httpx.TimeoutException):
        return Finding(check=check, status=FAIL, detail=f"{host} não respondeu a tempo ({setting})")
    cause = error.__context__ or error
    if isinstance(cause, ssl.SSLError) or "CERTIFICATE" in str(error).upper():
        return Finding(
            check=check,
            status=FAIL,
            detail=f"a conexão TLS com {host} falhou ({first_line(error)}): confira o "
            f"certificado do servidor ({setting})",
        )
    return Finding(
        check=check, status=FAIL, detail=f"não alcancei {host}: {type(error).__name__} ({setting})"
    )


def json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        decoded = response.json()
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def member(body: dict[str, Any], key: str) -> dict[str, Any]:
    found = body.get(key)
    return found if isinstance(found, dict) else {}


# ---- database --------------------------------------------------------------------------------


def head_revision() -> str:
    """The newest Alembic revision this code knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    return head or ""


def database(settings: Settings, timeout: float) -> Finding:
    name = "Banco de dados"
    url = make_url(normalize_url(settings.database_url))
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database and url.database != ":memory:" and not Path(url.database).exists():
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o arquivo {url.database} não existe: rode `dresbach migrate` "
            "(ou confira DRESBACH_DATABASE_URL)",
        )
    arguments = {"timeout": timeout} if sqlite else {"connect_timeout": max(1, round(timeout))}
    engine = create_engine(url, poolclass=NullPool, connect_args=arguments)
    try:
        with engine.connect() as connection:
            server = (
                f"SQLite {connection.exec_driver_sql('select sqlite_version()').scalar()}"
                if sqlite
                else f"PostgreSQL {connection.exec_driver_sql('show server_version').scalar()}"
            )
            try:
                found = connection.execute(text("SELECT version_num FROM alembic_version"))
                revision = found.scalar()
            except DBAPIError:
                revision = None
    except SQLAlchemyError as error:
        reason = first_line(getattr(error, "orig", None) or error)
        return Finding(
            check=name,
            status=FAIL,
            detail=f"não conectou ({reason}): confira DRESBACH_DATABASE_URL",
        )
    finally:
        engine.dispose()
    head = head_revision()
    if revision is None:
        return Finding(
            check=name, status=FAIL, detail=f"{server}, sem esquema: rode `dresbach migrate`"
        )
    if revision != head:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"{server}, esquema na revisão {revision} e a mais nova é {head}: "
            "rode `dresbach migrate`",
        )
    return Finding(
        check=name, status=OK, detail=f"{server}, esquema na revisão {head} (a mais nova)"
    )


# ---- WhatsApp --------------------------------------------------------------------------------


def whatsapp(settings: Settings, timeout: float) -> Finding:
    name = "WhatsApp (Graph API)"
    if settings.sandbox:
        return Finding(
            check=name,
            status=WARN,
            detail="modo sandbox (DRESBACH_SANDBOX=1): as respostas ficam no simulador local; "
            "para falar com a Meta, tire DRESBACH_SANDBOX e defina as variáveis WHATSAPP_*",
        )
    url = f"{settings.whatsapp_api_base_url.rstrip('/')}/{settings.whatsapp_phone_number_id}"
    try:
        response = httpx.get(
            url,
            params={"fields": "verified_name,display_phone_number,quality_rating"},
            headers={"Authorization": f"Bearer {settings.whatsapp_access_token.reveal()}"},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        return unreachable(name, url, error, "WHATSAPP_API_BASE_URL")
    body = json_object(response)
    if response.status_code == 200:
        return Finding(
            check=name,
            status=OK,
            detail=f"token aceito; número {body.get('display_phone_number', '?')} "
            f"({body.get('verified_name', 'sem nome verificado')}), qualidade "
            f"{body.get('quality_rating', '?')}",
        )
    problem = member(body, "error")
    code = problem.get("code")
    if response.status_code == 401 or code == 190:
        detail = (
            "a Meta recusou o token (190): gere um token permanente de usuário do sistema e "
            "ponha em WHATSAPP_ACCESS_TOKEN"
        )
    elif code == 100:
        detail = (
            f"a Meta não achou o número {settings.whatsapp_phone_number_id} (100): confira "
            "WHATSAPP_PHONE_NUMBER_ID e se o token tem acesso a ele"
        )
    else:
        detail = (
            f"a Graph API respondeu {response.status_code} ({code}): confira "
            "WHATSAPP_API_BASE_URL e WHATSAPP_ACCESS_TOKEN"
        )
    return Finding(check=name, status=FAIL, detail=detail)


# ---- Pix -------------------------------------------------------------------------------------


def pix(settings: Settings, timeout: float) -> Finding:
    if settings.pix_provider == "bcb":
        return _bcb(settings, timeout)
    if settings.pix_provider == "mercadopago":
        return _mercadopago(settings, timeout)
    return Finding(
        check="Pix",
        status=OK,
        detail="Pix estático (DRESBACH_PIX_PROVIDER=static): cobranças da chave "
        "DRESBACH_PIX_KEY, confirmadas por um atendente",
    )


def _bcb(settings: Settings, timeout: float) -> Finding:
    from dresbach.features.payments.adapters.bcb import DEFAULT_SCOPE, mtls_context

    name = "Pix (API Pix do PSP)"
    try:
        context = mtls_context(
            settings.bcb_cert_file, settings.bcb_key_file, settings.bcb_ca_file or None
        )
    except (OSError, ssl.SSLError) as error:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"não li o certificado ({first_line(error)}): confira "
            "DRESBACH_BCB_CERT_FILE, DRESBACH_BCB_KEY_FILE e DRESBACH_BCB_CA_FILE",
        )
    url = settings.bcb_token_url
    try:
        with httpx.Client(verify=context, timeout=timeout) as client:
            response = client.post(
                url,
                data={"grant_type": "client_credentials", "scope": DEFAULT_SCOPE},
                auth=(settings.bcb_client_id, settings.bcb_client_secret.reveal()),
            )
    except httpx.HTTPError as error:
        return unreachable(name, url, error, "DRESBACH_BCB_TOKEN_URL, DRESBACH_BCB_CERT_FILE")
    if response.status_code == 200 and json_object(response).get("access_token"):
        return Finding(
            check=name,
            status=OK,
            detail="token OAuth obtido com o certificado do cliente (mTLS)",
        )
    if response.status_code in (400, 401, 403):
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o PSP recusou as credenciais ({response.status_code}): confira "
            "DRESBACH_BCB_CLIENT_ID e DRESBACH_BCB_CLIENT_SECRET",
        )
    return Finding(
        check=name,
        status=FAIL,
        detail=f"o PSP respondeu {response.status_code} ao pedir o token: confira "
        "DRESBACH_BCB_TOKEN_URL",
    )


def _mercadopago(settings: Settings, timeout: float) -> Finding:
    name = "Pix (Mercado Pago)"
    url = f"{settings.mp_base_url.rstrip('/')}/users/me"
    try:
        response = httpx.get(
            url,
            headers={"Authorization": f"Bearer {settings.mp_access_token.reveal()}"},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        return unreachable(name, url, error, "DRESBACH_MP_BASE_URL")
    if response.status_code in (401, 403):
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o Mercado Pago recusou o token ({response.status_code}): confira "
            "DRESBACH_MP_ACCESS_TOKEN (o de produção começa com APP_USR-)",
        )
    if response.status_code != 200:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o Mercado Pago respondeu {response.status_code}: confira DRESBACH_MP_BASE_URL",
        )
    site = json_object(response).get("site_id", "?")
    if site != "MLB":
        return Finding(
            check=name,
            status=WARN,
            detail=f"token aceito, mas a conta é do site {site}: Pix só existe em contas do "
            "Brasil (MLB)",
        )
    return Finding(check=name, status=OK, detail="token aceito; conta do Brasil (MLB)")


CHECKS: Final[tuple[Check, ...]] = (database, whatsapp, pix)
