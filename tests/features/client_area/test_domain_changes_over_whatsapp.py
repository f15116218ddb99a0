"""The EPP code over WhatsApp, end to end (#15): Ana opens her .com's DNS, asks for its transfer
code, sees where it will go, confirms, and the code arrives by e-mail only: no chat message and
no audit line holds it. The WHMCS and WHM fakes and an SMTP server over real sockets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from dresbach.config import Secret
from dresbach.platform.store.schema import audit_log
from tests.fakes import whm as whm_fake
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whm import FakeWhm
from tests.fakes.whmcs import FakeWhmcs
from tests.features.client_area.test_client_area_whmcs_whm import Mailbox, options, until
from tests.support.meta import Customer
from tests.support.servers import free_port
from tests.support.stack_fixtures import Stack

USER = "5511944445555"


@pytest.fixture
def backends() -> Iterator[tuple[FakeWhmcs, FakeWhm, Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    with FakeWhmcs() as whmcs, FakeWhm() as whm:
        whmcs.state.domains[32] = {
            "id": 32,
            "userid": 1,
            "domainname": "anasouza.com",
            "status": "Active",
            "expirydate": "2027-05-01",
            "registrar": "enom",
            "locked": False,
            "nameservers": ["ns1.dresbach.com.br", "ns2.dresbach.com.br"],
        }
        soa = ("ns1.dresbach.com.br.", "admin.dresbach.com.br.", "2026120701", "3600", "1800")
        whm.state.zones["anasouza.com"] = [
            whm_fake._line("anasouza.com.", "SOA", *soa, "1209600", "86400"),
            whm_fake._line("anasouza.com.", "A", "203.0.113.10"),
        ]
        yield whmcs, whm, box, port
    controller.stop()


def logged_in(stack_factory, sqlite_url: str, backends) -> tuple[Stack, Customer]:  # type: ignore[no-untyped-def]
    """Ana, logged in through the chat, at the area's menu."""
    whmcs, whm, box, port = backends
    stack: Stack = stack_factory(
        sqlite_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls="false",
        secret_key=Secret("66" * 32),
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(whmcs_fake.DEFAULT_SECRET),
        whmcs_document_field=whmcs_fake.DOCUMENT_FIELD_ID,
        hosting_panel="whm",
        whm_url=whm.url,
        whm_token=Secret(whm_fake.DEFAULT_TOKEN),
    )
    c = stack.customer(USER)
    c.says("oi")
    c.taps("Área do Cliente")
    c.says("52998224725")
    until(c, c.says(whmcs_fake.PASSWORDS["ana@anasouza.com.br"]), lambda r: "código" in str(r))
    body = box.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    until(c, c.says(code), lambda r: "Serviços ativos" in options(r))
    return stack, c


def test_the_epp_code_reaches_the_email_and_never_the_chat(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, backends
) -> None:
    whmcs, _, box, _ = backends
    stack, c = logged_in(stack_factory, sqlite_url, backends)
    until(c, c.taps("Domínios e DNS"), lambda r: "anasouza.com" in options(r))
    until(c, c.taps("anasouza.com"), lambda r: "Alterar o domínio" in options(r))
    until(c, c.taps("Alterar o domínio"), lambda r: "Código EPP" in options(r))
    preview = until(c, c.taps("Código EPP"), lambda r: "Confirmar" in options(r))
    assert "O código vai só para o e-mail da sua conta (an***@anasouza.com.br)" in str(preview)
    assert whmcs.state.epp_requests == []  # nothing asked before the confirmation

    done = until(c, c.taps("Confirmar"), lambda r: "Pronto" in str(r))
    assert "pedimos o código de transferência de anasouza.com" in str(done)
    mail = box.messages[-1]
    assert mail["To"] == "ana@anasouza.com.br"
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject == "Código de transferência do domínio anasouza.com"
    epp = re.search(r"EPP-32-[0-9a-f]+", mail.get_payload(decode=True).decode())  # type: ignore[union-attr]
    assert epp is not None
    assert epp.group(0) not in str(c.replies())
    with stack.container.db.engine.connect() as connection:
        audit = connection.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    assert ("domain_epp_requested", "client 1: anasouza.com, e-mailed by us") in [
        (a.action, a.detail) for a in audit
    ]
    assert epp.group(0) not in str(audit)


def test_new_nameservers_are_checked_confirmed_and_made(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, backends
) -> None:
    whmcs = backends[0]
    _, c = logged_in(stack_factory, sqlite_url, backends)
    until(c, c.taps("Domínios e DNS"), lambda r: "anasouza.com" in options(r))
    until(c, c.taps("anasouza.com"), lambda r: "Alterar o domínio" in options(r))
    until(c, c.taps("Alterar o domínio"), lambda r: "Servidores DNS" in options(r))
    asked = until(c, c.taps("Servidores DNS"), lambda r: "Quais são os novos" in str(r))
    assert "servidores DNS de anasouza.com?" in str(asked)

    refused = until(c, c.says("ns1.cloudflare.com"), lambda r: "Quais são os novos" in str(r))
    assert "Informe de 2 a 5 servidores DNS, sem repetir." in str(refused)

    preview = until(
        c, c.says("ns1.cloudflare.com, ns2.cloudflare.com"), lambda r: "Confirmar" in options(r)
    )
    assert "*Antes:* ns1.dresbach.com.br, ns2.dresbach.com.br" in str(preview)
    assert "*Depois:* ns1.cloudflare.com, ns2.cloudflare.com" in str(preview)
    assert whmcs.state.calls_of("DomainUpdateNameservers") == []

    done = until(c, c.taps("Confirmar"), lambda r: "Pronto" in str(r))
    assert "os servidores DNS de anasouza.com agora são ns1.cloudflare.com" in str(done)
    assert whmcs.state.domains[32]["nameservers"] == ["ns1.cloudflare.com", "ns2.cloudflare.com"]


def test_a_dns_record_is_created_on_the_server_after_its_before_and_after(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, backends
) -> None:
    whm = backends[1]
    _, c = logged_in(stack_factory, sqlite_url, backends)
    until(c, c.taps("Domínios e DNS"), lambda r: "anasouza.com" in options(r))
    until(c, c.taps("anasouza.com"), lambda r: "Alterar o domínio" in options(r))
    until(c, c.taps("Alterar o domínio"), lambda r: "Criar registro DNS" in options(r))
    until(c, c.taps("Criar registro DNS"), lambda r: "Qual registro" in str(r))

    refused = until(c, c.says("blog A 192.168.0.9"), lambda r: "Qual registro" in str(r))
    assert "O IP “192.168.0.9” é de rede interna" in str(refused)
    preview = until(c, c.says("blog A 177.70.1.20"), lambda r: "Confirmar" in options(r))
    assert "*Antes:* nenhum" in str(preview)
    assert "*Depois:* blog.anasouza.com A 177.70.1.20" in str(preview)
    assert not any(call[0] == "mass_edit_dns_zone" for call in whm.state.calls)

    done = until(c, c.taps("Confirmar"), lambda r: "Pronto" in str(r))
    assert "o registro blog.anasouza.com A 177.70.1.20 foi criado" in str(done)
    names = [line.get("name") for line in whm.state.zones["anasouza.com"]]
    assert "blog.anasouza.com." in names
