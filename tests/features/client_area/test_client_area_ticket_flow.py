"""Opening a ticket through the ticket Flow, over real HTTP, in the WHMCS fake (issue #13).

The app runs with the real WHMCS adapter against its fake, a Flows key and a published ticket
Flow; Meta's side is the signed webhook (`Customer`) and a client that encrypts and decrypts
exactly as WhatsApp does. The customer logs in (the chat login), taps "Abrir novo chamado",
fills the Flow; the ticket is in WHMCS with the department chosen, and the chat says so in the
chat version's words. Without the Flow configured, or with "Digitar aqui", the chat version."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyotp
import pytest
from sqlalchemy import select

from dresbach.config import Secret
from dresbach.features.client_area.credentials import enroll_totp
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.platform.store.schema import metadata
from dresbach.platform.whatsapp import payloads
from dresbach.platform.whatsapp.flows_crypto import generate_key_pair, public_key_from_pem
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whmcs import FakeWhmcs
from tests.support.meta import Customer, text_of
from tests.support.stack_fixtures import Stack
from tests.support.whatsapp_flows_client import WhatsAppFlowsClient

USER = "5511933332222"
CPF = "52998224725"
ANA = "1"  # Ana Paula Souza, in the fake's seed
PASSWORD = whmcs_fake.PASSWORDS["ana@anasouza.com.br"]
TICKET_FLOW_ID = "2234567890123456"
SUBJECT = "Site fora do ar"
MESSAGE = "Desde hoje cedo o site mostra erro 500 em todas as páginas."


@dataclass
class TicketStack:
    stack: Stack
    whmcs: FakeWhmcs
    flows: WhatsAppFlowsClient
    customer: Customer
    totp: pyotp.TOTP

    def logs_in(self) -> None:
        """The chat login, with the TOTP code: the area's menu."""
        c = self.customer
        c.says("oi")
        c.taps("Área do Cliente")
        c.says(CPF)
        until(c, c.says(PASSWORD), "código")
        until(c, c.says(self.totp.now()), "Chamados")

    def asks_for_a_new_ticket(self) -> list[dict[str, Any]]:
        c = self.customer
        until(c, c.taps("Chamados"), "Abrir novo chamado")
        return until(c, c.taps("Abrir novo chamado"), "Digitar aqui")

    def completes(self, flow_token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """WhatsApp sends the Flow's completion (`nfm_reply`) to the chat."""
        response_json = orjson.dumps({**params, "flow_token": flow_token}).decode()
        meta = self.stack.meta
        now = int(time.time())
        message = payloads.flow_reply_message(meta.message_id(), USER, response_json, now)
        body = orjson.dumps(payloads.envelope([message], wa_id=USER, name="Ana"))
        assert meta.post(body).status_code == 200
        return until(self.customer, self.customer.waits_for_reply(timeout=20), "chamado")


def said(replies: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(m) for m in replies) + str(replies)


def until(customer: Customer, replies: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    seen = list(replies)
    while words not in said(seen):
        seen += customer.waits_for_reply(timeout=20)
    return seen


def ticket_token_of(replies: list[dict[str, Any]]) -> str:
    flows = [
        m for m in replies if m["type"] == "interactive" and m["interactive"]["type"] == "flow"
    ]
    assert len(flows) == 1, replies
    parameters = flows[0]["interactive"]["action"]["parameters"]
    assert parameters["flow_id"] == TICKET_FLOW_ID
    assert parameters["flow_cta"] == "Abrir chamado"
    token: str = parameters["flow_token"]
    assert len(token) >= 40
    return token


@pytest.fixture
def whmcs() -> Iterator[FakeWhmcs]:
    with FakeWhmcs() as fake:
        yield fake


def _stack(stack_factory: Any, tmp_path: Path, whmcs: FakeWhmcs, **more: Any) -> TicketStack:
    pair = generate_key_pair()
    key = tmp_path / "private.pem"
    key.write_bytes(pair.private_pem)
    stack: Stack = stack_factory(
        f"sqlite:///{tmp_path}/dresbach.sqlite3",
        secret_key=Secret("33" * 32),
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(whmcs_fake.DEFAULT_SECRET),
        whmcs_document_field=whmcs_fake.DOCUMENT_FIELD_ID,
        whatsapp_flows_private_key=str(key),
        **more,
    )
    container = stack.container
    secret = enroll_totp(container.db.engine, container.sealer, ANA, datetime.now(UTC))
    return TicketStack(
        stack=stack,
        whmcs=whmcs,
        flows=WhatsAppFlowsClient(stack.origin, public_key_from_pem(pair.public_pem)),
        customer=Customer(stack.meta, stack.graph, USER),
        totp=pyotp.TOTP(secret),
    )


@pytest.fixture
def ticket_stack(  # type: ignore[no-untyped-def]
    stack_factory, tmp_path: Path, whmcs: FakeWhmcs, caplog: pytest.LogCaptureFixture
) -> TicketStack:
    caplog.set_level(logging.DEBUG, logger="dresbach")
    return _stack(stack_factory, tmp_path, whmcs, whatsapp_flow_ticket_id=TICKET_FLOW_ID)


def _tickets_of_ana(whmcs: FakeWhmcs) -> list[dict[str, Any]]:
    return [t for t in whmcs.state.tickets.values() if str(t["userid"]) == ANA]


def test_the_ticket_flow_opens_a_ticket_in_whmcs_and_the_chat_says_so(
    ticket_stack: TicketStack, caplog: pytest.LogCaptureFixture
) -> None:
    t = ticket_stack
    t.logs_in()
    before = len(_tickets_of_ana(t.whmcs))
    token = ticket_token_of(t.asks_for_a_new_ticket())

    opened = t.flows.open_flow(token)
    assert opened.status == 200
    assert opened.payload is not None
    assert opened.payload["screen"] == "TICKET"
    departments = opened.payload["data"]["departments"]
    assert {"id": "2", "title": "Financeiro"} in departments
    assert {"id": "3", "title": "Comercial & Vendas"} in departments  # entities decoded
    assert opened.payload["data"]["error_message"] == ""

    short = t.flows.submit(
        token, "TICKET", {"department": "2", "subject": "oi", "message": MESSAGE}
    )
    assert short.payload is not None
    assert short.payload["screen"] == "TICKET"
    assert short.payload["data"]["error_message"] == TEXTS["text_short"]
    brief = t.flows.submit(
        token, "TICKET", {"department": "2", "subject": SUBJECT, "message": "ok"}
    )
    assert brief.payload is not None
    assert brief.payload["data"]["error_message"] == TEXTS["text_short"]
    assert len(_tickets_of_ana(t.whmcs)) == before  # nothing opened for a refusal

    data = {"department": "2", "subject": f"  {SUBJECT}\n", "message": MESSAGE}
    done = t.flows.submit(token, "TICKET", data)
    assert done.status == 200
    assert done.payload is not None
    assert done.payload["screen"] == "SUCCESS"
    params = done.payload["data"]["extension_message_response"]["params"]
    assert params["flow_token"] == token
    assert params["outcome"] == "ticket_opened"
    tickets = _tickets_of_ana(t.whmcs)
    assert len(tickets) == before + 1
    ticket = tickets[-1]
    assert (ticket["deptid"], ticket["subject"]) == (2, SUBJECT)
    assert params["ticket"] == "*" * (len(ticket["tid"]) - 3) + ticket["tid"][-3:]

    replies = t.completes(token, params)
    expected = TEXTS["ticket_opened"].format(number=ticket["tid"], department="Financeiro")
    assert expected in said(replies)
    assert "Serviços ativos" in said(t.customer.replies()[-3:])  # back at the area's menu

    assert t.flows.open_flow(token).status == 427  # used up
    with t.stack.container.db.engine.connect() as connection:
        kept = "\n".join(
            " ".join(str(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )
    assert MESSAGE not in kept  # what was typed went to the help desk only
    assert token not in kept
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert MESSAGE not in logged
    assert token not in logged


def test_a_ticket_token_without_the_session_is_refused(ticket_stack: TicketStack) -> None:
    t = ticket_stack
    t.logs_in()
    token = ticket_token_of(t.asks_for_a_new_ticket())
    until(t.customer, t.customer.says("sair"), "")
    assert t.flows.open_flow(token).status == 427


def test_digitar_aqui_opens_the_ticket_in_the_chat(ticket_stack: TicketStack) -> None:
    t = ticket_stack
    c = t.customer
    t.logs_in()
    before = len(_tickets_of_ana(t.whmcs))
    t.asks_for_a_new_ticket()
    until(c, c.taps("Digitar aqui"), "departamento")
    until(c, c.taps("Financeiro"), "assunto")
    until(c, c.says(SUBJECT), "descreva")
    replies = until(c, c.says(MESSAGE), "Pronto!")
    ticket = _tickets_of_ana(t.whmcs)[-1]
    assert len(_tickets_of_ana(t.whmcs)) == before + 1
    assert (ticket["deptid"], ticket["subject"]) == (2, SUBJECT)
    expected = TEXTS["ticket_opened"].format(number=ticket["tid"], department="Financeiro")
    assert expected in said(replies)


def test_without_the_ticket_flow_the_chat_version_as_before(  # type: ignore[no-untyped-def]
    stack_factory, tmp_path: Path, whmcs: FakeWhmcs
) -> None:
    t = _stack(stack_factory, tmp_path, whmcs)
    c = t.customer
    t.logs_in()
    until(c, c.taps("Chamados"), "Abrir novo chamado")
    replies = until(c, c.taps("Abrir novo chamado"), "departamento")
    assert "flow" not in [m["interactive"]["type"] for m in replies if m["type"] == "interactive"]
    assert "Digitar aqui" not in said(replies)


def test_a_ticket_flow_completed_from_another_screen_is_confirmed(
    ticket_stack: TicketStack,
) -> None:
    t = ticket_stack
    t.logs_in()
    token = ticket_token_of(t.asks_for_a_new_ticket())
    until(t.customer, t.customer.taps("Menu da área"), "Serviços ativos")  # moved on meanwhile
    assert t.flows.open_flow(token).status == 200
    data = {"department": "1", "subject": SUBJECT, "message": MESSAGE}
    done = t.flows.submit(token, "TICKET", data)
    assert done.payload is not None
    params = done.payload["data"]["extension_message_response"]["params"]
    ticket = _tickets_of_ana(t.whmcs)[-1]
    replies = t.completes(token, params)
    expected = TEXTS["ticket_opened"].format(number=ticket["tid"], department="Suporte Técnico")
    assert expected in said(replies)
