"""The files a customer sends while writing a ticket or a reply go to WHMCS with it, as
`OpenTicket`/`AddTicketReply` `attachments`: over real HTTP, through the WhatsApp webhook, the
media job and the real WHMCS adapter, against the faithful fakes."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from dresbach.config import Secret
from dresbach.features.client_area.adapters.whmcs import WhmcsDirectory
from dresbach.features.client_area.adapters.whmcs_api import attached
from dresbach.kernel.ports import Attachment
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whmcs import FakeWhmcs
from tests.support.console import media_message
from tests.support.meta import Customer, text_of
from tests.support.servers import free_port
from tests.support.stack_fixtures import Stack

USER = "5511922221111"
PNG = b"\x89PNG\r\n\x1a\n" + b"tela de erro" * 40
PDF = b"%PDF-1.7 fatura paga"


@dataclass
class Mailbox:
    messages: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def whmcs() -> Iterator[FakeWhmcs]:
    with FakeWhmcs() as server:
        yield server


# ---- the adapter --------------------------------------------------------------------------------


def test_the_parameter_is_base64_json_of_names_and_base64_data() -> None:
    files = [Attachment(filename="erro.png", mime_type="image/png", data=PNG)]
    listed = json.loads(base64.b64decode(attached(files)["attachments"]))
    assert listed == [{"name": "erro.png", "data": base64.b64encode(PNG).decode()}]
    assert attached([]) == {}  # no file: no parameter at all


def test_whmcs_keeps_the_files_and_refuses_a_malformed_parameter(whmcs: FakeWhmcs) -> None:
    directory = WhmcsDirectory(
        url=whmcs.url,
        identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        secret=whmcs_fake.DEFAULT_SECRET,
        document_field=whmcs_fake.DOCUMENT_FIELD_ID,
        clock=lambda: datetime.now(UTC),
    )
    client_id = str(next(iter(whmcs.state.clients)))
    screenshot = Attachment(filename="erro.png", mime_type="image/png", data=PNG)
    invoice = Attachment(filename="fatura.pdf", mime_type="application/pdf", data=PDF)

    async def work() -> str:
        try:
            department = (await directory.departments())[0].department_id
            ticket = await directory.open_ticket(
                client_id, department, "Site fora do ar", "O site não abre.", [screenshot]
            )
            await directory.reply_ticket(client_id, ticket.ticket_id, "A fatura paga.", [invoice])
            return ticket.ticket_id
        finally:
            await directory.aclose()

    ticket_id = int(asyncio.run(work()))
    assert whmcs.state.files == {
        (ticket_id, 0): [("erro.png", PNG)],
        (ticket_id, 1): [("fatura.pdf", PDF)],
    }
    replies = whmcs.state.tickets[ticket_id]["replies"]
    assert replies[0]["attachments"] == [{"filename": "erro.png", "index": 0}]
    assert re.fullmatch(r"\d{6}_erro\.png", replies[0]["attachment"])

    for malformed in ("not base64!", "bm90IGpzb24=", base64.b64encode(b'[{"name": "x"}]')):
        answer = bad_call(
            whmcs, ticket_id, str(malformed, "ascii") if isinstance(malformed, bytes) else malformed
        )
        assert answer["result"] == "error"
        assert answer["message"].startswith("Invalid attachments")
    assert len(whmcs.state.tickets[ticket_id]["replies"]) == 2  # nothing added


def bad_call(whmcs: FakeWhmcs, ticket_id: int, attachments: str) -> dict[str, Any]:
    form = {
        "identifier": whmcs_fake.DEFAULT_IDENTIFIER,
        "secret": whmcs_fake.DEFAULT_SECRET,
        "responsetype": "json",
        "action": "AddTicketReply",
        "ticketid": str(ticket_id),
        "message": "Outra",
        "attachments": attachments,
    }
    answer: dict[str, Any] = httpx.post(f"{whmcs.url}/includes/api.php", data=form).json()
    return answer


# ---- over WhatsApp ------------------------------------------------------------------------------


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def options(replies: list[dict[str, Any]]) -> list[str]:
    for message in reversed(replies):
        if message.get("type") != "interactive":
            continue
        interactive = message["interactive"]
        if interactive["type"] == "button":
            return [b["reply"]["title"] for b in interactive["action"]["buttons"]]
        if interactive["type"] == "list":
            return [r["title"] for s in interactive["action"]["sections"] for r in s["rows"]]
    return []


def until(customer: Customer, replies: list[dict[str, Any]], predicate: Any) -> Any:
    seen = list(replies)
    while not predicate(seen):
        seen += customer.waits_for_reply(timeout=20)
    return seen


def said(replies: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(m) for m in replies)


def sends_file(
    stack: Stack, customer: Customer, data: bytes, mime_type: str, **extra: str
) -> list[dict[str, Any]]:
    """The customer sends a file (an image, or a document with `filename`), with `caption`."""
    kind = "image" if mime_type.startswith("image/") else "document"
    media_id = stack.graph.add_media(data, mime_type, extra.get("filename", ""))
    body = {"id": media_id, "mime_type": mime_type, "sha256": hashlib.sha256(data).hexdigest()}
    body.update(extra)
    message = media_message(customer.wa_id, stack.meta.message_id(), kind, body)
    assert stack.meta.post(message).status_code == 200
    return customer.waits_for_reply(timeout=20)


def test_a_ticket_and_a_reply_from_whatsapp_carry_the_customers_files(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, whmcs: FakeWhmcs, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    stack: Stack = stack_factory(
        sqlite_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls="false",
        secret_key=Secret("44" * 32),
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(whmcs_fake.DEFAULT_SECRET),
        whmcs_document_field=whmcs_fake.DOCUMENT_FIELD_ID,
    )
    c = stack.customer(USER)
    c.says("oi")
    c.taps("Área do Cliente")
    c.says("52998224725")
    until(c, c.says(whmcs_fake.PASSWORDS["ana@anasouza.com.br"]), lambda r: "código" in str(r))
    code = re.search(rb"\b(\d{6})\b", box.messages[-1]).group(1).decode()  # type: ignore[union-attr]
    until(c, c.says(code), lambda r: "Chamados" in options(r))

    # A new ticket (no ticket Flow published: the chat version): the department, the subject,
    # then a screenshot without a caption, then the message. The file goes with the ticket.
    until(c, c.taps("Chamados"), lambda r: "Abrir novo chamado" in options(r))
    departments = until(c, c.taps("Abrir novo chamado"), lambda r: bool(options(r)))
    c.taps(options(departments)[0])
    c.says("Site fora do ar")
    noted = sends_file(stack, c, PNG, "image/png")
    assert said(noted) == (
        "Recebi o arquivo: ele vai junto. Agora escreva a mensagem em uma única mensagem de texto."
    )
    opened = until(
        c, c.says("O site não abre desde ontem à noite."), lambda r: "foi aberto" in said(r)
    )
    number = re.search(r"#(\d+)", said(opened)).group(1)  # type: ignore[union-attr]
    (ticket,) = [t for t in whmcs.state.tickets.values() if t["tid"] == number]
    assert ticket["replies"][0]["message"] == "O site não abre desde ontem à noite."
    assert whmcs.state.files[(ticket["id"], 0)] == [("image.png", PNG)]

    # A reply: a PDF whose caption is long enough is the reply itself.
    tickets = until(c, c.taps("Chamados"), lambda r: any(number in o for o in options(r)))
    c.taps(next(o for o in options(tickets) if number in o))
    until(c, c.taps("Responder"), lambda r: f"#{number}" in said(r))
    sent = sends_file(
        stack, c, PDF, "application/pdf", filename="fatura.pdf", caption="Segue a fatura paga"
    )
    sent = until(c, sent, lambda r: "foi registrada" in said(r))
    assert ticket["replies"][1]["message"] == "Segue a fatura paga"
    assert whmcs.state.files[(ticket["id"], 1)] == [("fatura.pdf", PDF)]
