"""Every Área do Cliente menu over real HTTP with the real WHMCS and WHM adapters, against their
faithful fakes (numbers as strings, double-wrapped lists, `0000-00-00`, WHM's base64 zones)."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from dresbach.config import Secret
from tests.fakes import whm as whm_fake
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whm import FakeWhm
from tests.fakes.whmcs import FakeWhmcs
from tests.support.meta import Customer, text_of
from tests.support.servers import free_port
from tests.support.stack_fixtures import Stack

USER = "5511922221111"
SKIP = {"Voltar", "Ver mais", "Menu da área", "Menu principal", "Falar com atendente"}


@dataclass
class Mailbox:
    messages: list[email.message.Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def backends() -> Iterator[tuple[FakeWhmcs, FakeWhm, Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    with FakeWhmcs() as whmcs, FakeWhm() as whm:
        yield whmcs, whm, box, port
    controller.stop()


def options(replies: list[dict[str, Any]]) -> list[str]:
    for message in reversed(replies):
        if message.get("type") != "interactive":
            continue
        interactive = message["interactive"]
        if interactive["type"] == "button":
            return [b["reply"]["title"] for b in interactive["action"]["buttons"]]
        return [r["title"] for s in interactive["action"]["sections"] for r in s["rows"]]
    return []


def until(
    customer: Customer, replies: list[dict[str, Any]], predicate: Any
) -> list[dict[str, Any]]:
    seen = list(replies)
    while not predicate(seen):
        seen += customer.waits_for_reply(timeout=20)
    return seen


def first_choice(replies: list[dict[str, Any]]) -> str:
    return next(o for o in options(replies) if o not in SKIP)


def test_every_menu_with_whmcs_and_whm(stack_factory, sqlite_url: str, backends) -> None:  # type: ignore[no-untyped-def]
    whmcs, whm, box, port = backends
    stack: Stack = stack_factory(
        sqlite_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls="false",
        secret_key=Secret("33" * 32),
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(whmcs_fake.DEFAULT_SECRET),
        whmcs_document_field=whmcs_fake.DOCUMENT_FIELD_ID,
        hosting_panel="whm",
        whm_url=whm.url,
        whm_user="root",
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

    services = until(c, c.taps("Serviços ativos"), lambda r: "anasouza.com.br" in str(r))
    assert "Hospedagem" in str(services) or "anasouza.com.br" in options(services)
    to_home(c)

    kinds = until(c, c.taps("Acessos"), lambda r: bool(options(r)))
    if "cPanel" not in options(kinds):
        kinds = until(c, c.taps("anasouza.com.br"), lambda r: "cPanel" in options(r))
    link = until(c, c.taps("cPanel"), lambda r: "cpsess" in str(r) or "http" in str(r))
    assert "cpsess" in str(link)  # WHM's one-time session URL
    to_home(c)

    until(c, c.taps("Domínios e DNS"), lambda r: "anasouza.com.br" in options(r))
    dns = until(c, c.taps("anasouza.com.br"), lambda r: "MX" in str(r) or "TXT" in str(r))
    assert "anasouza.com.br" in str(dns)
    to_home(c)

    tickets = until(c, c.taps("Chamados"), lambda r: bool(options(r)))
    assert "Abrir novo chamado" in options(tickets)
    to_home(c)

    invoices = until(c, c.taps("Faturas"), lambda r: bool(options(r)))
    detail = until(c, c.taps(first_choice(invoices)), lambda r: "R$" in str(r))
    assert "R$" in str(detail)
    pay = "\n".join(text_of(m) for m in c.says("quero pagar essa fatura"))
    assert "cliente.dresbach.com.br" in pay or "pagamento" in pay.lower()

    everything = str(c.replies())
    assert "000201" not in everything
    assert "viewinvoice" not in everything
    assert whmcs.state.calls_of("ValidateLogin")


def to_home(c: Customer) -> None:
    """Back to the area's menu through the buttons a customer would use."""
    for _ in range(5):
        shown = options(c.replies())
        if "Serviços ativos" in shown:
            return
        for way in ("Menu da área", "Voltar", "Voltar à lista"):
            if way in shown:
                c.taps(way)
                break
        else:
            c.says("voltar")
    assert "Serviços ativos" in options(c.replies())
