"""The Área do Cliente runtime against the embedded directory, on SQLite and PostgreSQL, with a
real SMTP server (aiosmtpd): login checks, lockout, TOTP (no replay), e-mail codes (single use,
5 minutes), and no password, code or full CPF left anywhere in the database."""

from __future__ import annotations

import asyncio
import email
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from dresbach.bootstrap import Container, build
from dresbach.config import Secret, Settings
from dresbach.domain.client_area import CheckLogin, CheckSecondFactor
from dresbach.runtime.credentials import enroll_totp
from dresbach.runtime.effects import apply_commands
from dresbach.runtime.local_directory import DirectoryStore
from dresbach.runtime.schema import inbox, jobs, metadata
from tests.support.servers import free_port

CPF = "529.982.247-25"
CPF_DIGITS = "52998224725"
PASSWORD = "s3nha-forte-123"
KEY = "5511955550001"


@dataclass
class Inbox:
    messages: list[email.message.Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def code(self) -> str:
        body = self.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
        found = re.search(r"\b(\d{6})\b", body)
        assert found, body
        return found.group(1)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def area(database_url: str, smtp: tuple[Inbox, int], tmp_path: Any) -> Iterator[Container]:
    container = build(
        Settings(
            sandbox=True,
            database_url=database_url,
            smtp_host="127.0.0.1",
            smtp_port=smtp[1],
            smtp_starttls="false",
            secret_key=Secret("11" * 32),
        ),
        auto_migrate=True,
    )
    store = DirectoryStore(container.db.engine, container.sealer)
    store.add_client(
        document=CPF,
        name="Maria Souza",
        email="maria@exemplo.com.br",
        password=PASSWORD,
        now=datetime.now(UTC),
    )
    yield container
    container.db.close()


def run(container: Container, *commands: Any) -> list[dict[str, Any]]:
    """Write the commands as the step would, run the jobs, return the events delivered."""
    with container.db.engine.begin() as connection:
        apply_commands(connection, KEY, list(commands), datetime.now(UTC), container.sealer)

    async def work() -> None:
        await container.jobs.drain()

    asyncio.run(work())
    with container.db.engine.connect() as connection:
        rows = connection.execute(select(inbox).order_by(inbox.c.id)).mappings().all()
    import orjson

    return [orjson.loads(r["payload"]) | {"_kind": r["kind"]} for r in rows]


def login(
    container: Container, n: int, password: str = PASSWORD, document: str = CPF_DIGITS
) -> dict[str, Any]:
    events = run(
        container, CheckLogin(command_id=f"m{n}:login", document=document, password=password)
    )
    return events[-1]


def test_a_right_password_asks_for_the_code_sent_by_e_mail(
    area: Container, smtp: tuple[Inbox, int]
) -> None:
    inbox_, _ = smtp
    checked = login(area, 1)
    assert checked["_kind"] == "login_checked"
    assert checked["result"] == "ok"
    assert checked["second_factor"] == "email"
    assert checked["email_masked"] == "ma***@exemplo.com.br"
    assert len(inbox_.messages) == 1
    code = inbox_.code()
    client_id = checked["client_id"]
    wrong = run(
        area,
        CheckSecondFactor(
            command_id="m2:2fa",
            client_id=client_id,
            method="email",
            code="000000" if code != "000000" else "111111",
        ),
    )[-1]
    assert wrong["result"] == "failed"
    ok = run(
        area, CheckSecondFactor(command_id="m3:2fa", client_id=client_id, method="email", code=code)
    )[-1]
    assert ok["result"] == "ok"
    again = run(
        area, CheckSecondFactor(command_id="m4:2fa", client_id=client_id, method="email", code=code)
    )[-1]
    assert again["result"] == "expired"  # single use


def test_unknown_document_and_wrong_password_get_the_same_answer(area: Container) -> None:
    wrong = login(area, 1, password="errada")
    unknown = login(area, 2, document="11144477735")
    strip = {"_kind", "event_id", "timestamp"}
    assert {k: v for k, v in wrong.items() if k not in strip} == {
        k: v for k, v in unknown.items() if k not in strip
    }
    assert wrong["result"] == "failed"


def test_five_failures_lock_the_login_and_e_mail_the_client(
    area: Container, smtp: tuple[Inbox, int]
) -> None:
    inbox_, _ = smtp
    results = [login(area, n, password="errada")["result"] for n in range(5)]
    assert results == ["failed"] * 4 + ["locked"]
    assert "bloqueado" in inbox_.messages[-1]["Subject"]
    assert login(area, 9)["result"] == "locked"  # even with the right password, for 15 minutes


def test_totp_codes_are_accepted_once(area: Container) -> None:
    client_id = DirectoryStore(area.db.engine, area.sealer).client_by_document(CPF)["client_id"]
    secret = enroll_totp(area.db.engine, area.sealer, client_id, datetime.now(UTC))
    checked = login(area, 1)
    assert checked["second_factor"] == "totp"
    code = pyotp.TOTP(secret).now()
    first = run(
        area, CheckSecondFactor(command_id="t1", client_id=client_id, method="totp", code=code)
    )[-1]
    replay = run(
        area, CheckSecondFactor(command_id="t2", client_id=client_id, method="totp", code=code)
    )[-1]
    assert (first["result"], replay["result"]) == ("ok", "failed")
    previous = pyotp.TOTP(secret).at(datetime.now(UTC) - timedelta(seconds=30))
    assert previous != code


def test_no_password_code_or_cpf_is_left_in_any_table(
    area: Container, smtp: tuple[Inbox, int]
) -> None:
    inbox_, _ = smtp
    login(area, 1)
    code = inbox_.code()
    client_id = DirectoryStore(area.db.engine, area.sealer).client_by_document(CPF)["client_id"]
    run(area, CheckSecondFactor(command_id="c1", client_id=client_id, method="email", code=code))
    login(area, 2, password="outra-senha-errada")
    with area.db.engine.connect() as connection:
        assert all(r == "{}" for r in connection.execute(select(jobs.c.payload)).scalars())
        dump = []
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                dump.append(" ".join(str(v) for v in row))
    everything = "\n".join(dump)
    for secret in (PASSWORD, "outra-senha-errada", CPF, CPF_DIGITS, code):
        assert secret not in everything, f"{secret!r} is stored in clear"
