"""`dresbach doctor`'s checks of the business services: the consultants' calendar, WHMCS and
WHM (Área do Cliente), the SMTP server (e-mail codes) and Chatwoot (the hand-off desk). Each is
skipped (`desligado`) when the settings do not turn it on.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from dresbach.cli.doctor_checks import (
    FAIL,
    OFF,
    OK,
    WARN,
    Check,
    Finding,
    Status,
    first_line,
    json_object,
    member,
    unreachable,
)
from dresbach.config import Settings
from dresbach.features.client_area.adapters.whm_servers import ServerStore, WhmServer
from dresbach.kernel.errors import DresbachError, PermanentError
from dresbach.platform.store.database import normalize_url
from dresbach.platform.store.sealing import Sealer
from dresbach.wiring import default_server

# ---- calendar --------------------------------------------------------------------------------


def calendar(settings: Settings, timeout: float) -> Finding:
    name = "Agenda"
    if settings.calendar != "caldav":
        return Finding(check=name, status=OK, detail="agenda interna (DRESBACH_CALENDAR=internal)")
    from dresbach.features.scheduling.adapters.caldav_calendar import CalDavCalendar

    adapter = CalDavCalendar(
        url=settings.caldav_url,
        username=settings.caldav_user,
        password=settings.caldav_password.reveal(),
        calendar=settings.caldav_calendar,
        timeout=timeout,
    )
    now = datetime.now(UTC)
    try:
        asyncio.run(asyncio.wait_for(adapter.busy(now, now + timedelta(hours=1)), timeout * 2))
    except TimeoutError:
        return Finding(
            check=name, status=FAIL, detail="o CalDAV não respondeu a tempo (CALDAV_URL)"
        )
    except PermanentError as error:
        if error.code in (401, 403):
            detail = (
                f"o CalDAV recusou o acesso ({error.code}): confira CALDAV_USER e CALDAV_PASSWORD"
            )
        elif "no calendar" in str(error) or "has no calendar" in str(error):
            detail = f"calendário não encontrado ({error}): confira CALDAV_CALENDAR"
        else:
            detail = f"o CalDAV recusou ({error}): confira CALDAV_URL e CALDAV_CALENDAR"
        return Finding(check=name, status=FAIL, detail=detail)
    except DresbachError as error:
        return Finding(
            check=name, status=FAIL, detail=f"não alcancei o CalDAV ({error}): confira CALDAV_URL"
        )
    which = f"“{settings.caldav_calendar}”" if settings.caldav_calendar else "o primeiro"
    return Finding(check=name, status=OK, detail=f"CalDAV: calendário {which} encontrado e lido")


# ---- Área do Cliente -------------------------------------------------------------------------


def whmcs(settings: Settings, timeout: float) -> Finding:
    name = "WHMCS"
    if settings.client_directory != "whmcs":
        return Finding(check=name, status=OFF, detail="não usado (DRESBACH_CLIENT_DIRECTORY=local)")
    base = settings.whmcs_url.rstrip("/")
    url = base if base.endswith("api.php") else f"{base}/includes/api.php"
    form = {
        "identifier": settings.whmcs_identifier,
        "secret": settings.whmcs_secret.reveal(),
        "action": "GetClients",
        "limitnum": "1",
        "responsetype": "json",
    }
    try:
        response = httpx.post(url, data=form, timeout=timeout)
    except httpx.HTTPError as error:
        return unreachable(name, url, error, "WHMCS_URL")
    body = json_object(response)
    message = str(body.get("message", ""))
    if response.status_code == 403:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o WHMCS recusou este IP ({message or 403}): libere-o em Configurações → "
            "Segurança → API IP Access Restriction",
        )
    if body.get("result") == "success":
        total = body.get("totalresults", "?")
        return Finding(check=name, status=OK, detail=f"API respondeu; {total} clientes")
    if "authentication" in message.lower():
        detail = "o WHMCS recusou as credenciais: confira WHMCS_IDENTIFIER e WHMCS_SECRET"
    elif response.status_code != 200 or not body:
        detail = f"o WHMCS respondeu {response.status_code} sem JSON: confira WHMCS_URL"
    else:
        detail = f"o WHMCS respondeu erro ({message}): confira as permissões da credencial da API"
    return Finding(check=name, status=FAIL, detail=detail)


def whm(settings: Settings, timeout: float) -> list[Finding]:
    """The server of WHM_URL (the default) and each server of `dresbach servers`, one row each."""
    name = "WHM"
    if settings.hosting_panel != "whm":
        return [Finding(check=name, status=OFF, detail="não usado (DRESBACH_HOSTING_PANEL=local)")]
    findings = []
    default = default_server(settings)
    if default is not None:
        findings.append(_whm_version(name, default, timeout, "WHM_URL", "WHM_USER e WHM_TOKEN"))
    try:
        servers = _registered_servers(settings)
    except (SQLAlchemyError, ValueError) as error:
        findings.append(
            Finding(
                check=f"{name} (servidores)",
                status=FAIL,
                detail=f"não li os servidores cadastrados ({first_line(error)}): rode "
                "`dresbach migrate` e confira DRESBACH_SECRET_KEY",
            )
        )
        return findings
    for server in servers:
        fix = f"`dresbach servers add --id {server.server_id}`"
        label = f"{name} {server.server_id} ({server.hostname})"
        findings.append(_whm_version(label, server, timeout, fix, fix))
    if not findings:
        findings.append(
            Finding(
                check=name,
                status=FAIL,
                detail="nenhum servidor: defina WHM_URL e WHM_TOKEN ou cadastre cada um com "
                "`dresbach servers add`",
            )
        )
    return findings


def _registered_servers(settings: Settings) -> list[WhmServer]:
    """The servers of the `whm_servers` table, their tokens opened with the service key."""
    url = make_url(normalize_url(settings.database_url))
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and (not url.database or not Path(url.database).exists()):
        return []  # no database yet (the database check says so)
    if settings.secret_key:
        sealer = Sealer.from_text(settings.secret_key.reveal())
    else:
        key = (Path(url.database).parent if sqlite and url.database else Path("var")) / "secret.key"
        if not key.exists():
            return []  # no key yet: nothing was ever sealed, so no server was added
        sealer = Sealer.from_file(key)
    engine = create_engine(url, poolclass=NullPool)
    try:
        return ServerStore(engine, sealer).servers()
    finally:
        engine.dispose()


def _whm_version(
    name: str, server: WhmServer, timeout: float, where: str, credentials: str
) -> Finding:
    url = f"{server.url.rstrip('/')}/json-api/version"
    try:
        response = httpx.get(
            url,
            params={"api.version": "1"},
            headers={"Authorization": f"whm {server.username}:{server.token}"},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        return unreachable(name, url, error, where)
    if response.status_code in (401, 403):
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o WHM recusou o token ({response.status_code}): confira {credentials}",
        )
    body = json_object(response)
    metadata, data = member(body, "metadata"), member(body, "data")
    if response.status_code == 200 and metadata.get("result") == 1:
        return Finding(check=name, status=OK, detail=f"WHM {data.get('version', '?')} respondeu")
    reason = metadata.get("reason") or response.status_code
    return Finding(
        check=name, status=FAIL, detail=f"o WHM respondeu {reason}: confira {where} (porta 2087)"
    )


# ---- e-mail ----------------------------------------------------------------------------------


def smtp(settings: Settings, timeout: float) -> Finding:
    name = "E-mail (SMTP)"
    if not settings.smtp_host:
        status: Status = OFF if settings.sandbox else WARN
        return Finding(
            check=name,
            status=status,
            detail="SMTP_HOST vazio: os códigos de acesso por e-mail vão para a caixa local "
            "do simulador, não para o cliente",
        )
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    starttls = settings.smtp_starttls.lower() in ("1", "true", "yes")
    steps = ["conectou"]
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as server:
            server.ehlo()
            if starttls:
                if not server.has_extn("starttls"):
                    return Finding(
                        check=name,
                        status=FAIL,
                        detail=f"{where} não oferece STARTTLS: use a porta de submissão (587) "
                        "ou SMTP_STARTTLS=false se a rede for confiável",
                    )
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
                steps.append("STARTTLS")
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password.reveal())
                steps.append("login")
    except smtplib.SMTPAuthenticationError as error:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"{where} recusou o login ({error.smtp_code}): confira SMTP_USER e "
            "SMTP_PASSWORD",
        )
    except ssl.SSLError as error:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"STARTTLS com {where} falhou ({first_line(error)}): o certificado do "
            "servidor não é confiável",
        )
    except (OSError, smtplib.SMTPException) as error:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"não conversei com {where} ({first_line(error)}): confira SMTP_HOST e "
            "SMTP_PORT",
        )
    return Finding(check=name, status=OK, detail=f"{where}: {', '.join(steps)} (nada enviado)")


# ---- the hand-off desk -----------------------------------------------------------------------


def chatwoot(settings: Settings, timeout: float) -> Finding:
    name = "Chatwoot"
    if settings.handoff_desk != "chatwoot":
        return Finding(check=name, status=OFF, detail="não usado (DRESBACH_HANDOFF_DESK=console)")
    url = (
        f"{settings.chatwoot_url.rstrip('/')}/api/v1/accounts/{settings.chatwoot_account_id}"
        f"/inboxes/{settings.chatwoot_inbox_id}"
    )
    try:
        response = httpx.get(
            url,
            headers={"api_access_token": settings.chatwoot_api_token.reveal()},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        return unreachable(name, url, error, "CHATWOOT_URL")
    if response.status_code == 200:
        body = json_object(response)
        return Finding(
            check=name,
            status=OK,
            detail=f"caixa “{body.get('name', '?')}” ({body.get('channel_type', '?')}) encontrada",
        )
    if response.status_code == 401:
        detail = (
            "o Chatwoot recusou o token (401): confira CHATWOOT_API_TOKEN e se ele tem acesso "
            "a CHATWOOT_ACCOUNT_ID"
        )
    elif response.status_code == 404:
        detail = (
            "conta ou caixa não encontrada (404): confira CHATWOOT_ACCOUNT_ID e CHATWOOT_INBOX_ID"
        )
    else:
        detail = f"o Chatwoot respondeu {response.status_code}: confira CHATWOOT_URL"
    return Finding(check=name, status=FAIL, detail=detail)


CHECKS: Final[tuple[Check, ...]] = (calendar, whmcs, whm, smtp, chatwoot)
