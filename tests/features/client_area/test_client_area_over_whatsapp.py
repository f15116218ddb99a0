"""The Área do Cliente over real HTTP: a customer logs in with CPF, password and the code e-mailed
through a real SMTP server (aiosmtpd), browses services and invoices, asks to pay (and is told
where), leaves with `sair`. Then: no password, code or full CPF in any table or log line."""

from __future__ import annotations

import email
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from dresbach.cli.clients_commands import _seed_records
from dresbach.config import Secret
from dresbach.features.client_area.adapters.local_directory import DirectoryStore
from dresbach.platform.store.schema import metadata
from tests.support.meta import Customer, text_of
from tests.support.servers import free_port
from tests.support.stack_fixtures import Stack

CPF = "529.982.247-25"
PASSWORD = "Senha-Muito-Secreta-42"
USER = "5511933332222"


@dataclass
class Mailbox:
    messages: list[email.message.Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def said(replies: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(m) for m in replies)


def logs_in(
    stack_factory: Any, sqlite_url: str, smtp: tuple[Mailbox, int]
) -> tuple[Stack, Customer, str]:
    """A customer of the embedded directory, logged in over WhatsApp with CPF, password and the
    code e-mailed; the stack, the customer and the code."""
    box, port = smtp
    stack: Stack = stack_factory(
        sqlite_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls="false",
        secret_key=Secret("22" * 32),
    )
    store = DirectoryStore(stack.container.db.engine, stack.container.sealer)
    client_id = store.add_client(
        document=CPF,
        name="Maria Souza",
        email="maria@exemplo.com.br",
        password=PASSWORD,
        now=datetime.now(UTC),
    )
    _seed_records(store, client_id, date.today(), "maria")
    customer = stack.customer(USER)
    customer.says("oi")
    assert "CPF" in said(customer.taps("Área do Cliente"))
    asked = said(customer.says(CPF))
    assert "senha" in asked.lower()
    assert "não" in asked.lower()  # the password is never stored: said before asking
    replies = customer.says(PASSWORD)
    while "código" not in said(replies):
        replies = customer.waits_for_reply(timeout=20)
    assert "ma***@exemplo.com.br" in said(replies)
    body = box.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    replies = customer.says(code)
    while "Serviços ativos" not in str(replies):
        replies = customer.waits_for_reply(timeout=20)
    return stack, customer, code


def test_login_browse_and_leave(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, smtp: tuple[Mailbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="dresbach")
    stack, customer, code = logs_in(stack_factory, sqlite_url, smtp)
    services = str(customer.taps("Serviços ativos"))
    while "Hospedagem Pro" not in services:
        services += str(customer.waits_for_reply(timeout=20))
    assert "Revenda Start" in services
    assert "vence" in services
    pay = said(customer.says("quero pagar a fatura"))
    assert "000201" not in pay
    assert "boleto" in pay.lower() or "pagamento" in pay.lower()
    customer.says("sair")

    secrets_ = (PASSWORD, CPF, "52998224725", code)
    with stack.container.db.engine.connect() as connection:
        dump = "\n".join(
            " ".join(str(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )
    ours = "\n".join(  # every log line but the test mail server's own (it received the e-mail)
        r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")
    )
    assert "password accepted for ***.982.247-**" in ours  # logs identify people masked
    for secret in secrets_:
        assert secret not in dump, f"{secret!r} stored in clear"
        assert secret not in ours, f"{secret!r} in a log line"


def until(customer: Customer, replies: list[dict[str, Any]], wanted: str) -> list[dict[str, Any]]:
    """`replies` and the bot's next messages, until `wanted` is somewhere in them."""
    while wanted not in str(replies):
        replies += customer.waits_for_reply(timeout=20)
    return replies


def url_button(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """The one cta_url message among `replies`, as the fake Graph API received it."""
    [found] = [
        m["interactive"]
        for m in replies
        if m["type"] == "interactive" and m["interactive"]["type"] == "cta_url"
    ]
    return found


def test_an_access_link_and_an_invoice_pdf_arrive_as_url_buttons(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, smtp: tuple[Mailbox, int]
) -> None:
    _stack, customer, _code = logs_in(stack_factory, sqlite_url, smtp)
    until(customer, customer.taps("Acessos"), "loja-maria.com.br")
    until(customer, customer.taps("loja-maria.com.br"), "WHM")
    access = url_button(until(customer, customer.taps("WHM"), "cta_url"))
    assert access["action"]["name"] == "cta_url"
    link = access["action"]["parameters"]
    assert link["display_text"] == "Abrir o WHM"
    assert "/demo/whm/" in link["url"]
    assert link["url"] not in access["body"]["text"]  # the token stays behind the button
    assert "WHM de loja-maria.com.br (demonstração)" in access["body"]["text"]

    invoices = until(customer, customer.taps("Faturas"), "Estas são as suas faturas")
    first = next(
        row["title"]
        for m in invoices
        if m["type"] == "interactive" and m["interactive"]["type"] == "list"
        for section in m["interactive"]["action"]["sections"]
        for row in section["rows"]
        if row["title"].startswith("Fatura ")
    )
    pdf = url_button(until(customer, customer.taps(first), "cta_url"))
    assert pdf["action"]["parameters"]["display_text"] == "Abrir o PDF"
    assert pdf["action"]["parameters"]["url"].startswith("https://cliente.dresbach.com.br/demo/")
    assert pdf["body"]["text"] == f"PDF da fatura {first.removeprefix('Fatura ')}"
