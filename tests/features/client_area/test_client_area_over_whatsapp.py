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
from tests.support.meta import text_of
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


def test_login_browse_and_leave(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, smtp: tuple[Mailbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="dresbach")
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
