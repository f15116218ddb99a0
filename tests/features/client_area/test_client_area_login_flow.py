"""The Área do Cliente's login through a WhatsApp Flow, over real HTTP (issue #13).

The app runs with a Flows key and a published login Flow; Meta's side is the signed webhook
(`Meta`, `Customer`) and a client that encrypts and decrypts exactly as WhatsApp does
(`WhatsAppFlowsClient`: RSA-OAEP-SHA256 + AES-GCM, the flipped IV). Then: no document, password
or code in clear in any table, log line or file the service wrote."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pyotp
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from dresbach.config import Secret
from dresbach.features.client_area.adapters.local_directory import DirectoryStore
from dresbach.features.client_area.credentials import enroll_totp
from dresbach.platform.store.schema import audit_log, inbox, metadata
from dresbach.platform.store.unit_of_work.at_rest import FLOW_REPLY_STORED
from dresbach.platform.whatsapp import flow_tokens, payloads
from dresbach.platform.whatsapp.flows_crypto import generate_key_pair, public_key_from_pem
from tests.support.meta import Customer, text_of
from tests.support.stack_fixtures import Stack
from tests.support.whatsapp_flows_client import WhatsAppFlowsClient, signature_of

CPF = "529.982.247-25"
CPF_DIGITS = "52998224725"
PASSWORD = "Senha-Muito-Secreta-42"
WRONG = "Senha-Errada-Demais-7"
USER = "5511944443333"
FLOW_ID = "1234567890123456"


@dataclass
class FlowStack:
    stack: Stack
    flows: WhatsAppFlowsClient
    customer: Customer
    totp: pyotp.TOTP
    folder: Path

    @property
    def engine(self) -> Any:
        return self.stack.container.db.engine

    def open_client_area(self) -> str:
        """Área do Cliente from the main menu: the Flow message arrives; its token."""
        self.customer.says("oi")
        replies = self.customer.taps("Área do Cliente")
        return token_of(replies)

    def completes(self, flow_token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """WhatsApp sends the Flow's completion (`nfm_reply`) to the chat."""
        response_json = orjson.dumps({**params, "flow_token": flow_token}).decode()
        message = payloads.flow_reply_message(
            self.stack.meta.message_id(), USER, response_json, int(time.time())
        )
        body = orjson.dumps(payloads.envelope([message], wa_id=USER, name="Maria Souza"))
        assert self.stack.meta.post(body).status_code == 200
        return self.customer.waits_for_reply(timeout=20)

    def until(self, words: str, replies: list[dict[str, Any]]) -> str:
        """What the bot said (and offered) until `words` appear."""
        seen = said(replies) + str(replies)
        while words not in seen:
            more = self.customer.waits_for_reply(timeout=20)
            seen += said(more) + str(more)
        return seen


def said(replies: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(m) for m in replies)


def token_of(replies: list[dict[str, Any]]) -> str:
    flows = [
        m for m in replies if m["type"] == "interactive" and m["interactive"]["type"] == "flow"
    ]
    assert len(flows) == 1, replies
    parameters = flows[0]["interactive"]["action"]["parameters"]
    assert parameters["flow_id"] == FLOW_ID
    assert (parameters["flow_action"], parameters["mode"]) == ("data_exchange", "published")
    assert parameters["flow_message_version"] == "3"
    assert len(parameters["flow_cta"]) <= 20
    token: str = parameters["flow_token"]
    assert len(token) >= 40
    return token


@pytest.fixture
def flow_stack(  # type: ignore[no-untyped-def]
    stack_factory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> FlowStack:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="dresbach")
    pair = generate_key_pair()
    key = tmp_path / "keys" / "private.pem"
    key.parent.mkdir()
    key.write_bytes(pair.private_pem)
    folder = tmp_path / "db"
    folder.mkdir()
    stack: Stack = stack_factory(
        f"sqlite:///{folder}/dresbach.sqlite3",
        secret_key=Secret("33" * 32),
        whatsapp_flows_private_key=str(key),
        whatsapp_flow_login_id=FLOW_ID,
    )
    store = DirectoryStore(stack.container.db.engine, stack.container.sealer)
    now = datetime.now(UTC)
    client_id = store.add_client(
        document=CPF, name="Maria Souza", email="maria@exemplo.com.br", password=PASSWORD, now=now
    )
    secret = enroll_totp(stack.container.db.engine, stack.container.sealer, client_id, now)
    return FlowStack(
        stack=stack,
        flows=WhatsAppFlowsClient(stack.origin, public_key_from_pem(pair.public_pem)),
        customer=Customer(stack.meta, stack.graph, USER),
        totp=pyotp.TOTP(secret),
        folder=folder,
    )


def assert_nothing_typed_kept(
    flow: FlowStack, caplog: pytest.LogCaptureFixture, *secrets: str
) -> None:
    with flow.engine.connect() as connection:
        dump = "\n".join(
            " ".join(str(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )
    lines = "\n".join(
        f"{r.getMessage()} {r.__dict__}" for r in caplog.records if not r.name.startswith("mail")
    )
    files = b"".join(p.read_bytes() for p in flow.folder.iterdir() if p.is_file())
    for secret in (CPF, CPF_DIGITS, *secrets):
        assert secret not in dump, f"{secret!r} stored in clear"
        assert secret not in lines, f"{secret!r} in a log line"
        assert secret.encode() not in files, f"{secret!r} in a file"


def test_the_flow_logs_in_with_the_password_and_a_totp_code(
    flow_stack: FlowStack, caplog: pytest.LogCaptureFixture
) -> None:
    flow = flow_stack
    token = flow.open_client_area()
    offered = said(flow.customer.replies())
    assert "Digitar aqui" in str(flow.customer.replies()[-1])
    assert "Entrar com segurança" in offered

    assert flow.flows.ping().payload == {"data": {"status": "active"}}
    opened = flow.flows.open_flow(token)
    assert opened.payload == {"screen": "DOCUMENT", "data": {"error_message": ""}}
    asked = flow.flows.submit(token, "DOCUMENT", {"document": CPF})
    assert asked.payload == {"screen": "PASSWORD", "data": {"error_message": ""}}
    asked = flow.flows.submit(token, "PASSWORD", {"password": PASSWORD})
    assert asked.payload == {"screen": "SECOND_FACTOR", "data": {"error_message": ""}}
    wrong = flow.flows.submit(token, "SECOND_FACTOR", {"code": "12a456"})
    assert wrong.payload is not None
    assert wrong.payload["screen"] == "SECOND_FACTOR"
    assert "6 números" in wrong.payload["data"]["error_message"]
    code = flow.totp.now()
    closed = flow.flows.submit(token, "SECOND_FACTOR", {"code": code})
    assert closed.payload == {
        "screen": "SUCCESS",
        "data": {
            "extension_message_response": {"params": {"outcome": "logged_in", "flow_token": token}}
        },
    }
    assert "Maria Souza" not in closed.text  # the answer is encrypted

    replies = flow.completes(token, {"outcome": "logged_in"})
    shown = flow.until("Serviços ativos", replies)
    assert "Pronto, Maria! Você entrou na Área do Cliente." in shown

    replayed = flow.flows.open_flow(token)  # single use: spent by the completion
    assert replayed.status == 427
    again = flow.completes(token, {"outcome": "logged_in"})  # a replayed completion
    assert "Pronto" not in said(again)

    with flow.engine.connect() as connection:
        stored = [
            orjson.loads(p)
            for p in connection.execute(
                select(inbox.c.payload).where(inbox.c.kind == "flow_reply")
            ).scalars()
        ]
    assert [s["interactive"]["nfm_reply"] for s in stored] == [FLOW_REPLY_STORED] * 2
    with flow.engine.connect() as connection:
        audited = list(connection.execute(select(audit_log.c.who, audit_log.c.action)))
    assert [tuple(a) for a in audited] == [  # as the chat login audits it
        ("5511*****3333", "password_ok"),
        ("5511*****3333", "login_success"),
    ]
    assert_nothing_typed_kept(flow, caplog, PASSWORD, code, token)


def test_five_wrong_passwords_lock_the_flow_and_the_chat_alike(
    flow_stack: FlowStack, caplog: pytest.LogCaptureFixture
) -> None:
    flow = flow_stack
    token = flow.open_client_area()
    assert flow.flows.open_flow(token).status == 200
    for attempt in range(1, 4):
        assert flow.flows.submit(token, "DOCUMENT", {"document": CPF}).status == 200
        refused = flow.flows.submit(token, "PASSWORD", {"password": f"{WRONG}{attempt}"})
        assert refused.payload is not None
        assert refused.payload["screen"] == "PASSWORD"
        error = refused.payload["data"]["error_message"]
        assert error.startswith("O CPF/CNPJ ou a senha não conferem.")
        assert WRONG not in error
        assert "529" not in error
    unknown = flow.flows.submit(token, "DOCUMENT", {"document": "111.444.777-35"})
    assert unknown.status == 200
    alike = flow.flows.submit(token, "PASSWORD", {"password": PASSWORD})
    assert alike.payload == refused.payload  # an unknown document answers as a wrong password
    # (and counts: five failures from one conversation lock it, whatever the documents)
    assert flow.flows.submit(token, "DOCUMENT", {"document": CPF}).status == 200
    locked = flow.flows.submit(token, "PASSWORD", {"password": f"{WRONG}5"})
    assert locked.payload is not None
    assert locked.payload["data"]["extension_message_response"]["params"] == {
        "outcome": "locked",
        "flow_token": token,
    }
    assert flow.flows.submit(token, "DOCUMENT", {"document": CPF}).status == 427

    replies = flow.completes(token, {"outcome": "locked"})
    shown = flow.until("bloqueado", replies)
    assert "Por segurança, o acesso à Área do Cliente foi bloqueado por 15 minutos." in shown

    # the same counters: the right password typed in the chat is refused too
    token_of(flow.customer.taps("Área do Cliente"))
    assert "Qual é o CPF" in said(flow.customer.taps("Digitar aqui"))
    flow.customer.says(CPF)
    replies = flow.customer.says(PASSWORD)
    assert "bloqueado por 15 minutos" in flow.until("bloqueado", replies)
    assert_nothing_typed_kept(flow, caplog, PASSWORD, WRONG)


def test_tokens_replayed_expired_or_foreign_and_bad_requests(flow_stack: FlowStack) -> None:
    flow = flow_stack
    token = flow.open_client_area()
    expired = flow_tokens.issue(
        flow.engine,
        conversation_key="5511900000000",
        purpose="login",
        now=datetime.now(UTC) - timedelta(minutes=11),
    )
    assert flow.flows.open_flow(expired.token).status == 427
    assert flow.flows.open_flow("a-token-we-never-issued").status == 427
    answer = flow.flows.open_flow(expired.token)
    assert answer.payload is not None
    assert "expirou" in answer.payload["error_msg"]

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    foreign = flow.flows.post(
        {"version": "3.0", "action": "INIT", "flow_token": token},
        public_key=other.public_key(),
    )
    assert foreign.status == 421
    unsigned = flow.flows.post(
        {
            "version": "3.0",
            "action": "data_exchange",
            "screen": "DOCUMENT",
            "data": {"document": CPF},
            "flow_token": token,
        },
        signature=signature_of(b"another body"),
    )
    assert unsigned.status == 432
    # nothing changed: the token still opens its first screen, once
    assert flow.flows.open_flow(token).status == 200
    skipped = flow.flows.submit(token, "SECOND_FACTOR", {"code": "123456"})
    assert skipped.payload is not None
    assert skipped.payload["screen"] == "DOCUMENT"
    # a completion that did not pass the second factor logs nobody in
    replies = flow.completes(token, {"outcome": "logged_in"})
    shown = flow.until("Digitar aqui", replies)
    assert "formulário de acesso expirou" in shown
    assert "Pronto" not in shown


def test_the_chat_login_stays_the_fallback(
    flow_stack: FlowStack, caplog: pytest.LogCaptureFixture
) -> None:
    flow = flow_stack
    flow.open_client_area()
    assert "Qual é o CPF" in said(flow.customer.taps("Digitar aqui"))
    assert "senha" in said(flow.customer.says(CPF)).lower()
    replies = flow.customer.says(PASSWORD)
    flow.until("autenticador", replies)
    code = flow.totp.now()
    replies = flow.customer.says(code)
    assert "Pronto, Maria!" in flow.until("Serviços ativos", replies)
    assert_nothing_typed_kept(flow, caplog, PASSWORD, code)


def test_a_document_typed_instead_of_the_flow_is_the_chat_login(flow_stack: FlowStack) -> None:
    flow = flow_stack
    flow.open_client_area()
    asked = said(flow.customer.says(CPF))
    assert "Qual é a sua senha?" in asked
    assert "***.982.247-**" in asked
