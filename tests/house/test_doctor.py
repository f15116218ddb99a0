"""`dresbach doctor` as an operator runs it: a real process, its settings in the environment,
every integration a real local server (the fakes over HTTP, the PSP over mTLS, Radicale,
aiosmtpd with STARTTLS and a login)."""

from __future__ import annotations

import re
import sqlite3
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from dresbach.features.registry import HOUSE
from dresbach.platform.store.database import migrate
from tests.fakes.bcb_pix import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, FakeBcbPsp
from tests.fakes.chatwoot import DEFAULT_SECRET as CHATWOOT_SECRET
from tests.fakes.chatwoot import DEFAULT_TOKEN as CHATWOOT_TOKEN
from tests.fakes.chatwoot import FakeChatwoot
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.fakes.mercadopago import FakeMercadoPago
from tests.fakes.whm import DEFAULT_TOKEN as WHM_TOKEN
from tests.fakes.whm import FakeWhm
from tests.fakes.whmcs import DEFAULT_IDENTIFIER, DEFAULT_SECRET, FakeWhmcs
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN
from tests.support.radicale import Radicale
from tests.support.servers import DRESBACH, free_port

SMTP_USER, SMTP_PASSWORD = "robo@dresbach.com.br", "senha-do-smtp-1"
WABA = "200000000000002"


@dataclass
class Report:
    code: int
    output: str

    def row(self, check: str) -> tuple[str, str]:
        """(status, detail) of the row of `check`."""
        for line in self.output.splitlines():
            cells = re.split(r"\s{2,}", line, maxsplit=2)
            if len(cells) == 3 and cells[0] == check:
                return cells[1], cells[2]
        raise AssertionError(f"no row {check!r} in:\n{self.output}")


def doctor(env: dict[str, str], cwd: Path) -> Report:
    command = [DRESBACH] if Path(DRESBACH).exists() else [sys.executable, "-m", "dresbach.cli.main"]
    done = subprocess.run(
        [*command, "doctor", "--timeout", "3"],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Report(code=done.returncode, output=done.stdout + done.stderr)


class Smtp:
    """A real SMTP server offering STARTTLS and a login after it."""

    def __init__(self, ca: trustme.CA) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        self.port = free_port()
        self.controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            authenticator=self.authenticate,
        )

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            SMTP_USER.encode(),
            SMTP_PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raise AssertionError("doctor must not send mail")


@dataclass
class Backends:
    graph: FakeGraphServer
    psp: FakeBcbPsp
    mercadopago: FakeMercadoPago
    whmcs: FakeWhmcs
    whm: FakeWhm
    chatwoot: FakeChatwoot
    smtp: Smtp
    radicale: Radicale
    calendar: str
    certs: Path


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def backends(
    ca: trustme.CA, radicale: Radicale, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backends]:
    certs = tmp_path_factory.mktemp("certs")
    client = ca.issue_cert("dresbach-pix.client.test")
    client.cert_chain_pems[0].write_to_path(str(certs / "client.pem"))
    client.private_key_pem.write_to_path(str(certs / "client.key"))
    ca.cert_pem.write_to_path(str(certs / "ca.pem"))
    graph_state = GraphApiState(
        access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, business_account_id=WABA
    )
    for declaration in HOUSE.templates:  # every template approved as declared
        graph_state.templates.create(WABA, declaration.creation_body())
        graph_state.templates.set_status(declaration.name, "APPROVED")
    smtp = Smtp(ca)
    smtp.controller.start()
    try:
        with (
            FakeGraphServer(graph_state) as graph,
            FakeBcbPsp(ca) as psp,
            FakeMercadoPago() as mercadopago,
            FakeWhmcs() as whmcs,
            FakeWhm() as whm,
            FakeChatwoot() as chatwoot,
        ):
            yield Backends(
                graph=graph,
                psp=psp,
                mercadopago=mercadopago,
                whmcs=whmcs,
                whm=whm,
                chatwoot=chatwoot,
                smtp=smtp,
                radicale=radicale,
                calendar=radicale.make_calendar("Consultoria"),
                certs=certs,
            )
    finally:
        smtp.controller.stop()


def everything(b: Backends, database_url: str) -> dict[str, str]:
    """Settings that turn every integration on, each pointing at its local server."""
    return {
        "DRESBACH_DATABASE_URL": database_url,
        "DRESBACH_SECRET_KEY": "22" * 32,
        "DRESBACH_PUBLIC_URL": "https://bot.dresbach.com.br",
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": b.graph.base_url,
        "WHATSAPP_BUSINESS_ACCOUNT_ID": WABA,
        "DRESBACH_PIX_PROVIDER": "bcb",
        "DRESBACH_BCB_BASE_URL": b.psp.base_url,
        "DRESBACH_BCB_TOKEN_URL": b.psp.token_url,
        "DRESBACH_BCB_CLIENT_ID": DEFAULT_CLIENT_ID,
        "DRESBACH_BCB_CLIENT_SECRET": DEFAULT_CLIENT_SECRET,
        "DRESBACH_BCB_CERT_FILE": str(b.certs / "client.pem"),
        "DRESBACH_BCB_KEY_FILE": str(b.certs / "client.key"),
        "DRESBACH_BCB_CA_FILE": str(b.certs / "ca.pem"),
        "DRESBACH_CALENDAR": "caldav",
        "CALDAV_URL": f"{b.radicale.origin}/",
        "CALDAV_USER": b.radicale.user,
        "CALDAV_PASSWORD": b.radicale.password,
        "CALDAV_CALENDAR": "Consultoria",
        "DRESBACH_CLIENT_DIRECTORY": "whmcs",
        "WHMCS_URL": b.whmcs.url,
        "WHMCS_IDENTIFIER": DEFAULT_IDENTIFIER,
        "WHMCS_SECRET": DEFAULT_SECRET,
        "WHMCS_DOCUMENT_FIELD": "7",
        "DRESBACH_HOSTING_PANEL": "whm",
        "WHM_URL": b.whm.url,
        "WHM_TOKEN": WHM_TOKEN,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(b.smtp.port),
        "SMTP_USER": SMTP_USER,
        "SMTP_PASSWORD": SMTP_PASSWORD,
        "SMTP_STARTTLS": "true",
        "SSL_CERT_FILE": str(b.certs / "ca.pem"),  # the SMTP server's certificate is the test CA's
        "DRESBACH_HANDOFF_DESK": "chatwoot",
        "CHATWOOT_URL": b.chatwoot.url,
        "CHATWOOT_ACCOUNT_ID": "1",
        "CHATWOOT_INBOX_ID": "7",
        "CHATWOOT_API_TOKEN": CHATWOOT_TOKEN,
        "CHATWOOT_WEBHOOK_SECRET": CHATWOOT_SECRET,
    }


def test_every_integration_answers_and_the_doctor_says_so(
    backends: Backends, database_url: str, tmp_path: Path
) -> None:
    migrate(database_url)
    report = doctor(everything(backends, database_url), tmp_path)
    assert report.code == 0, report.output
    expected = {
        "Configuração": "modo produção",
        "Banco de dados": "(a mais nova)",
        "WhatsApp (Graph API)": "token aceito; número +55 11 4000-0000",
        "Modelos de mensagem": "aprovados, com os parâmetros do código",
        "Pix (API Pix do PSP)": "mTLS",
        "Agenda": "calendário “Consultoria” encontrado",
        "WHMCS": "clientes",
        "WHM": "WHM 11.130.0.7 respondeu",
        "E-mail (SMTP)": "conectou, STARTTLS, login (nada enviado)",
        "Chatwoot": "caixa “WhatsApp (bot)” (Channel::Api) encontrada",
    }
    for check, seen in expected.items():
        status, detail = report.row(check)
        assert (status, seen in detail) == ("OK", True), report.output
    assert "Tudo certo" in report.output
    assert ("GET", "/users/me", 200) not in backends.mercadopago.state.calls  # bcb chosen


def test_what_fails_is_named_with_the_setting_to_fix_and_no_secret_is_printed(
    backends: Backends, sqlite_url: str, tmp_path: Path
) -> None:
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    sqlite3.connect(database).close()  # a file, but never migrated
    wrong = {
        "WHATSAPP_ACCESS_TOKEN": "EAAwrongwrongwrongwrongwrong123",
        "DRESBACH_PIX_PROVIDER": "mercadopago",
        "DRESBACH_MP_BASE_URL": backends.mercadopago.base_url,
        "DRESBACH_MP_ACCESS_TOKEN": "APP_USR-wrong-token-4567",
        "DRESBACH_MP_WEBHOOK_SECRET": "mp-webhook-secret-890",
        "CALDAV_PASSWORD": "senha-errada-do-caldav",
        "WHMCS_SECRET": "segredo-errado-do-whmcs",
        "WHM_URL": f"http://127.0.0.1:{free_port()}",
        "SMTP_PASSWORD": "senha-errada-do-smtp",
        "CHATWOOT_INBOX_ID": "99",
    }
    report = doctor({**everything(backends, sqlite_url), **wrong}, tmp_path)
    assert report.code == 1, report.output
    expected = {
        "Banco de dados": "rode `dresbach migrate`",
        "WhatsApp (Graph API)": "WHATSAPP_ACCESS_TOKEN",
        "Modelos de mensagem": "WHATSAPP_ACCESS_TOKEN",
        "Pix (Mercado Pago)": "DRESBACH_MP_ACCESS_TOKEN",
        "Agenda": "CALDAV_USER e CALDAV_PASSWORD",
        "WHMCS": "WHMCS_IDENTIFIER e WHMCS_SECRET",
        "WHM": "WHM_URL",
        "WHM (servidores)": "rode `dresbach migrate`",
        "E-mail (SMTP)": "SMTP_USER e SMTP_PASSWORD",
        "Chatwoot": "CHATWOOT_INBOX_ID",
    }
    for check, setting in expected.items():
        status, detail = report.row(check)
        assert (status, setting in detail) == ("FALHA", True), report.output
    assert "10 falhas" in report.output
    secrets = [
        wrong[name]
        for name in wrong
        if name.endswith(("TOKEN", "SECRET", "PASSWORD")) and name != "CHATWOOT_INBOX_ID"
    ]
    assert len(secrets) == 6
    for secret in [*secrets, APP_SECRET, CHATWOOT_TOKEN, WHM_TOKEN, DEFAULT_CLIENT_SECRET]:
        assert secret not in report.output


def test_a_configuration_that_does_not_load_is_one_failed_row(tmp_path: Path) -> None:
    report = doctor({"DRESBACH_PIX_PROVIDER": "mercadopago"}, tmp_path)
    assert report.code == 1
    status, detail = report.row("Configuração")
    assert status == "FALHA"
    assert "DRESBACH_MP_ACCESS_TOKEN" in detail
