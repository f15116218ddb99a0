"""No secret in clear, anywhere the service writes: the app over real HTTP with the demo seed;
one customer logs into the Área do Cliente with the demo CPF, password and a code e-mailed
through a real SMTP server, another with the demo CNPJ, password and an authenticator (TOTP)
code; the first then asks for a copy of their data and for its erasure. The second, once out,
types the password and the CNPJ again at the menu. A third gets the password wrong until the
login locks, then types the CPF and the right password at the menu, where nobody asks for them;
a fourth types a CPF with spaces and a card number in an ordinary message (#18.16). Afterwards
every column of every table, every log line, and every byte of every file the service wrote
(the SQLite file, its -wal and -shm, the key file, the temporary directory) is searched for the
CPF, the CNPJ, the passwords, both codes, the TOTP secret and the card: none may appear.

Codes are six digits, which also occur by chance inside longer numbers or after a decimal point
(microseconds of a timestamp); they are searched as numbers standing alone.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pyotp
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from dresbach.cli.clients_commands import DEMO_EMAIL_CPF, DEMO_PASSWORD, DEMO_TOTP_CNPJ, seed_demo
from dresbach.features.privacy.model import EXPORT_FILENAME, READABLE_FILENAME, Retention
from dresbach.platform.store.retention import RetentionPurge
from dresbach.platform.store.schema import inbox, metadata
from dresbach.platform.store.unit_of_work import REDACTED
from tests.support.meta import Customer, text_of
from tests.support.servers import free_port
from tests.support.stack_fixtures import Stack

MARIA = "5511944440001"
LOJA = "5511944440002"
JOAO = "5511944440003"
PEDRO = "5511944440004"
WRONG_PASSWORDS = [f"Errada-{n}-minha-outra-senha" for n in range(1, 7)]
CPF_SPACED = "529 982 247 25"
CARD = "4111 1111 1111 1111"


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


@dataclass
class Workdir:
    """Where the service may write: its working directory (var/ with the database and the key
    file) and its temporary directory."""

    root: Path
    tmp: Path

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.is_file())


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workdir:
    root = tmp_path / "service"
    tmp = root / "tmp"
    tmp.mkdir(parents=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return Workdir(root=root, tmp=tmp)


def said(replies: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(m) for m in replies)


def until(customer: Customer, replies: list[dict[str, Any]], words: str) -> str:
    """Wait for the bot to say `words` (a job answers a little later)."""
    text = said(replies)
    deadline = time.monotonic() + 30
    while words not in text:
        assert time.monotonic() < deadline, f"never said {words!r}; said {text!r}"
        try:
            text += said(customer.waits_for_reply(timeout=20))
        except AssertionError as error:
            raise AssertionError(f"never said {words!r}; said {text!r}") from error
    return text


def demo_seed(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """`dresbach demo seed` on the service's database; the TOTP secret it shows once."""
    monkeypatch.setenv("DRESBACH_DATABASE_URL", url)
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")  # demo data (known passwords): the sandbox's only
    assert seed_demo(argparse.Namespace()) == 0
    shown = capsys.readouterr().out
    found = re.search(r"secret=([A-Z2-7]+)", shown)
    assert found, shown
    return found.group(1)


def maria_logs_in_then_asks_for_her_data_and_its_erasure(customer: Customer, box: Mailbox) -> str:
    customer.says("oi")
    assert "CPF" in said(customer.taps("Área do Cliente"))
    assert "senha" in said(customer.says(DEMO_EMAIL_CPF)).lower()
    until(customer, customer.says(DEMO_PASSWORD), "código")
    body = box.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    until(customer, customer.says(code), "Você entrou")
    customer.says("sair")

    customer.says("privacidade")
    customer.taps("Baixar meus dados")
    deadline = time.monotonic() + 30
    while not any(m["type"] == "document" for m in customer.replies()):
        assert time.monotonic() < deadline, "the copy never came"
        customer.waits_for_reply(timeout=20)
    customer.says("privacidade")
    assert "Confirma a exclusão?" in said(customer.taps("Excluir meus dados"))
    until(customer, customer.taps("Sim, excluir"), "Excluí seus dados pessoais")
    return code


def loja_logs_in_with_an_authenticator(customer: Customer, totp_secret: str) -> str:
    customer.says("oi")
    customer.taps("Área do Cliente")
    customer.says(DEMO_TOTP_CNPJ)
    until(customer, customer.says(DEMO_PASSWORD), "autenticador")
    code = pyotp.TOTP(totp_secret).now()
    until(customer, customer.says(code), "Você entrou")
    customer.says("sair")
    # out of the client area, the customer types the password and the CNPJ again
    customer.says(DEMO_PASSWORD)
    customer.says(DEMO_TOTP_CNPJ)
    return code


def joao_is_locked_out_then_types_the_cpf_and_password_at_the_menu(customer: Customer) -> None:
    customer.says("oi")
    customer.taps("Área do Cliente")
    for wrong in WRONG_PASSWORDS:
        customer.says(DEMO_EMAIL_CPF)
        said = said_until_any(customer, customer.says(wrong), ("não conferem", "bloqueado"))
        if "bloqueado" in said:
            break
    else:
        raise AssertionError("the login never locked")
    # back at the menu: the customer tries again where nobody asks for them
    customer.says(DEMO_EMAIL_CPF)
    customer.says(DEMO_PASSWORD)


def said_until_any(
    customer: Customer, replies: list[dict[str, Any]], words: tuple[str, ...]
) -> str:
    text = said(replies)
    deadline = time.monotonic() + 30
    while not any(w in text for w in words):
        assert time.monotonic() < deadline, f"never said any of {words!r}; said {text!r}"
        text += said(customer.waits_for_reply(timeout=20))
    return text


def pedro_types_a_cpf_and_a_card_in_an_ordinary_message(customer: Customer) -> str:
    customer.says("oi")
    typed = f"Meu CPF é {CPF_SPACED} e o cartão da empresa é {CARD}, pode cobrar nele?"
    customer.says(typed)
    return typed


def table_dump(stack: Stack) -> str:
    def text(value: Any) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    with stack.container.db.engine.connect() as connection:
        return "\n".join(
            " ".join(text(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )


def pattern(secret: str) -> re.Pattern[bytes]:
    escaped = re.escape(secret.encode())
    if secret.isdigit():  # a code: a number standing alone
        return re.compile(rb"(?<![0-9.:])" + escaped + rb"(?![0-9])")
    return re.compile(escaped)


def test_no_document_password_code_or_totp_secret_is_written_in_clear(  # type: ignore[no-untyped-def]
    stack_factory,
    workdir: Workdir,
    smtp: tuple[Mailbox, int],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="dresbach")
    box, port = smtp
    url = f"sqlite:///{workdir.root}/var/dresbach.sqlite3"
    stack: Stack = stack_factory(url, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls="false")
    totp_secret = demo_seed(url, monkeypatch, capsys)

    email_code = maria_logs_in_then_asks_for_her_data_and_its_erasure(stack.customer(MARIA), box)
    totp_code = loja_logs_in_with_an_authenticator(stack.customer(LOJA), totp_secret)
    joao_is_locked_out_then_types_the_cpf_and_password_at_the_menu(stack.customer(JOAO))
    pedro_types_a_cpf_and_a_card_in_an_ordinary_message(stack.customer(PEDRO))

    secrets = {
        "CPF": DEMO_EMAIL_CPF,
        "CPF digits": re.sub(r"\D", "", DEMO_EMAIL_CPF),
        "CNPJ": DEMO_TOTP_CNPJ,
        "CNPJ characters": re.sub(r"[^0-9A-Z]", "", DEMO_TOTP_CNPJ),
        "password": DEMO_PASSWORD,
        "e-mailed code": email_code,
        "TOTP code": totp_code,
        "TOTP secret": totp_secret,
        "CPF typed with spaces": CPF_SPACED,
        "card": CARD,
        "card digits": re.sub(r"\D", "", CARD),
        **{f"wrong password {n}": p for n, p in enumerate(WRONG_PASSWORDS, 1)},
    }
    with stack.container.db.engine.connect() as connection:
        kept = {
            key: [orjson.loads(p).get("text", {}).get("body") for p in payloads]
            for key in (JOAO, PEDRO)
            if (
                payloads := connection.execute(
                    select(inbox.c.payload)
                    .where(inbox.c.conversation_key == key, inbox.c.kind == "text")
                    .order_by(inbox.c.id)
                ).scalars()
            )
        }
    # João's last two texts came after the lockout, at the menu: kept only as a placeholder
    assert kept[JOAO][-2:] == [REDACTED, REDACTED]
    # Pedro's message is kept, with the documents masked (no login anywhere near it)
    assert kept[PEDRO][-1] == (
        "Meu CPF é ***.982.247-** e o cartão da empresa é ************1111, pode cobrar nele?"
    )
    (upload,) = [u for u in stack.graph.uploads if u.filename == EXPORT_FILENAME]
    assert upload.mime_type == "text/plain"  # what WhatsApp takes for a JSON file
    copy = orjson.loads(upload.data)
    received = [m["conteudo"] for m in copy["mensagens_recebidas"]]
    assert received[0] == "oi"
    assert received[1].startswith("[Área do Cliente")  # that area's data needs its login
    # typed in the minutes after she left the client area: kept only as a placeholder (#18.16)
    assert "privacidade" not in received
    assert REDACTED in received
    assert "Você entrou".encode() not in upload.data
    (readable,) = [u for u in stack.graph.uploads if u.filename == READABLE_FILENAME]
    sent = [m["document"] for m in stack.customer(MARIA).replies() if m["type"] == "document"]
    assert [d["filename"] for d in sent] == [READABLE_FILENAME, EXPORT_FILENAME]
    assert sent[1] == {
        "id": upload.media_id,
        "filename": EXPORT_FILENAME,
        "caption": sent[1]["caption"],
    }
    assert sent[0]["id"] == readable.media_id
    tables = table_dump(stack).encode()
    logged = "\n".join(  # every log line but the test mail server's (it received the e-mail)
        r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")
    ).encode()
    assert "password accepted for ***.982.247-**" in logged.decode()  # people appear masked
    assert b"***.982.247-**" in tables
    for moment in ("while running", "after a checkpoint"):
        if moment == "after a checkpoint":
            stack.container.db.checkpoint()
        files = {str(p.relative_to(workdir.root)): p.read_bytes() for p in workdir.files()}
        assert "var/dresbach.sqlite3" in files
        assert "var/dresbach.sqlite3-wal" in files
        for what, secret in secrets.items():
            found = pattern(secret)
            assert not found.search(tables), f"the {what} is stored in clear"
            assert not found.search(logged), f"the {what} is in a log line"
            assert not found.search(upload.data), f"the {what} is in the copy of the data"
            assert not found.search(readable.data), f"the {what} is in the readable copy"
            for name, content in files.items():
                hit = found.search(content)
                assert hit is None, (
                    f"the {what} is in {name} {moment}: "
                    f"{content[max(0, hit.start() - 80) : hit.end() + 80]!r}"
                )


def test_an_erasure_leaves_no_copy_in_the_database_files(  # type: ignore[no-untyped-def]
    stack_factory, workdir: Workdir
) -> None:
    url = f"sqlite:///{workdir.root}/var/dresbach.sqlite3"
    stack: Stack = stack_factory(url)
    customer = stack.customer(MARIA)
    customer.says("oi")
    typed = "Minha filha Quitéria Zamboni faz aniversário amanhã"
    customer.says(typed)
    customer.says("privacidade")
    customer.taps("Excluir meus dados")
    until(customer, customer.taps("Sim, excluir"), "Excluí seus dados pessoais")
    needle = b"Zamboni"
    stack.container.db.checkpoint()
    for path in workdir.files():
        assert needle not in path.read_bytes(), f"the erased message is still in {path.name}"


def test_a_purged_message_leaves_no_copy_in_the_database_files(  # type: ignore[no-untyped-def]
    stack_factory, workdir: Workdir
) -> None:
    url = f"sqlite:///{workdir.root}/var/dresbach.sqlite3"
    stack: Stack = stack_factory(url)
    customer = stack.customer(MARIA)
    customer.says("oi")
    customer.says("Minha filha Quitéria Zamboni faz aniversário amanhã")
    customer.says("Obrigada, era só isso")
    later = datetime.now(UTC) + timedelta(days=400)
    purge = RetentionPurge(stack.container.db, Retention(), clock=lambda: later)
    asyncio.run(purge.sweep())
    stack.container.db.checkpoint()
    with stack.container.db.engine.connect() as connection:
        assert connection.execute(select(inbox.c.id)).all() == []
    for path in workdir.files():
        assert b"Zamboni" not in path.read_bytes(), f"the purged message is still in {path.name}"
