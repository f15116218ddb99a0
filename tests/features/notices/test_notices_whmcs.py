"""Notices before the customer asks, read from WHMCS over HTTP (its faithful fake), on SQLite and
PostgreSQL: each kind goes once (a second poll sends nothing), the text inside the 24 h window
and the template outside it, "parar" respected (and "voltar a receber" undoing it), a kind
turned off sends nothing, and a client without a phone gets nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select, update

from dresbach.features.client_area.login.guard import payment_content
from dresbach.features.notices import records
from dresbach.features.notices.adapters.whmcs import WhmcsBilling
from dresbach.features.notices.service import NoticesService
from dresbach.features.notices.settings import NoticesSettings
from dresbach.features.privacy.document import readable
from dresbach.features.privacy.model import Retention
from dresbach.features.privacy.personal_data import document, erase
from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import ERASED
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import notice_optouts, notices_sent, outbox
from dresbach.platform.store.unit_of_work import take_in
from tests.fakes.whmcs import DEFAULT_IDENTIFIER, DEFAULT_SECRET, FakeWhmcs, WhmcsState

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # 9h in São Paulo
ANA = Sender(user_id=None, wa_id="5511987654321", profile_name="Ana")
"""Client 1 in WHMCS, phone (11) 98765-4321."""
CARLOS_NUMBER = "5521998765432"
"""Client 2 in WHMCS, phone (21) 99876-5432: he never wrote to us."""
SITE = "https://cliente.dresbach.com.br"


@pytest.fixture
def whmcs() -> Iterator[FakeWhmcs]:
    state = WhmcsState(clock=lambda: NOW)
    state.clients[2]["phonenumber"] = "(21) 99876-5432"
    # a new invoice today, a domain about to expire, a ticket the team answered this morning
    state.invoices[505] = {
        "id": 505,
        "userid": 1,
        "invoicenum": "2026/0050",
        "date": "2026-12-07",
        "duedate": "2027-01-07",
        "datepaid": "0000-00-00 00:00:00",
        "total": "1234.50",
        "status": "Unpaid",
        "items": [{"description": "Hospedagem Plus", "amount": "1234.50"}],
    }
    state.domains[42] = {
        "id": 42,
        "userid": 1,
        "domainname": "anasouza.com",
        "status": "Active",
        "expirydate": "2026-12-20",
    }
    state.tickets[100]["lastreply"] = "2026-12-07 08:30:00"
    with FakeWhmcs(state=state) as fake:
        yield fake


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def service(db: Database, whmcs: FakeWhmcs, **settings: Any) -> NoticesService:
    billing = WhmcsBilling(url=whmcs.url, identifier=DEFAULT_IDENTIFIER, secret=DEFAULT_SECRET)
    return NoticesService(db, billing, NoticesSettings(**settings), clock=lambda: NOW)


def poll(notices: NoticesService) -> dict[str, int]:
    async def run() -> dict[str, int]:
        try:
            return (await notices.poll()).counts
        finally:
            await notices.aclose()

    return asyncio.run(run())


def customer_says(db: Database, n: int, body: str, when: datetime, sender: Sender = ANA) -> None:
    message_id = f"wamid.ana.{n}"
    raw = {"from": sender.wa_id, "id": message_id, "type": "text", "text": {"body": body}}
    event = TextReceived(message_id=message_id, sender=sender, timestamp=when, body=body)
    assert not take_in(db.engine, event, raw, when, Policy()).duplicate


def notices_to(db: Database, number: str) -> list[dict[str, Any]]:
    """What was queued for `number` by the notices, in order: each message as the codec keeps it."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(outbox.c.payload, outbox.c.fallback)
            .where(outbox.c.recipient == number, outbox.c.conversation_key.like("notice:%"))
            .order_by(outbox.c.id)
        ).all()
    return [
        {**orjson.loads(payload), "fallback_template": orjson.loads(fb) if fb else None}
        for payload, fb in rows
    ]


def last_bot_text(db: Database) -> str:
    with db.engine.connect() as connection:
        payload = connection.execute(
            select(outbox.c.payload)
            .where(outbox.c.conversation_key == ANA.key, outbox.c.kind == "message")
            .order_by(outbox.c.seq.desc())
            .limit(1)
        ).scalar_one()
    return str(orjson.loads(payload)["body"])


def test_each_kind_goes_once_and_a_second_poll_sends_nothing(db: Database, whmcs: FakeWhmcs):  # type: ignore[no-untyped-def]
    first = poll(service(db, whmcs))
    assert first == {"template": 6}
    ana = notices_to(db, ANA.wa_id)
    names = sorted(m["name"] for m in ana)
    assert names == [
        "aviso_chamado_respondido",
        "aviso_dominio_expirando",
        "aviso_fatura_emitida",
        "aviso_fatura_vencendo",
    ]
    carlos = notices_to(db, CARLOS_NUMBER)
    assert sorted(m["name"] for m in carlos) == ["aviso_fatura_vencida", "aviso_servico_suspenso"]
    due = next(m for m in ana if m["name"] == "aviso_fatura_vencendo")
    assert due["params"] == ["Ana", "nº 500", "R$ 59,90", "10/12/2026", SITE]
    issued = next(m for m in ana if m["name"] == "aviso_fatura_emitida")
    assert issued["params"][2] == "R$ 1.234,50"
    suspended = next(m for m in carlos if m["name"] == "aviso_servico_suspenso")
    assert suspended["params"][1] == "VPS Linux 4GB (vps.techsolutions.com.br)"
    asked = len(whmcs.state.calls_of("GetClientsDetails"))
    assert asked == 2  # one look-up per client, not per notice

    second = poll(service(db, whmcs))
    assert second.get("template", 0) + second.get("text", 0) == 0
    assert len(notices_to(db, ANA.wa_id)) == 4
    assert len(notices_to(db, CARLOS_NUMBER)) == 2
    assert len(whmcs.state.calls_of("GetClientsDetails")) == asked  # nothing new to look up


def test_inside_the_window_a_text_goes_with_the_template_as_its_fallback(  # type: ignore[no-untyped-def]
    db: Database, whmcs: FakeWhmcs
):
    customer_says(db, 1, "oi", NOW - timedelta(hours=2))
    counts = poll(service(db, whmcs))
    assert counts == {"text": 4, "template": 2}
    ana = notices_to(db, ANA.wa_id)
    assert {m["t"] for m in ana} == {"text"}
    due = next(m for m in ana if "vence em 10/12/2026" in m["body"])
    assert due["body"].startswith("Olá, Ana! Lembrete: a fatura nº 500, de R$ 59,90")
    assert SITE in due["body"]
    assert "responda *parar*" in due["body"]
    assert due["fallback_template"]["name"] == "aviso_fatura_vencendo"
    # never a payment in the message: no Pix code, no boleto, no payment link
    for message in ana:
        assert payment_content(message["body"]) is None
    assert {m["t"] for m in notices_to(db, CARLOS_NUMBER)} == {"template"}


def test_a_customer_who_says_parar_gets_no_more_notices_until_they_ask_again(  # type: ignore[no-untyped-def]
    db: Database, whmcs: FakeWhmcs
):
    customer_says(db, 1, "oi", NOW - timedelta(hours=3))
    customer_says(db, 2, "parar", NOW - timedelta(hours=2))
    assert last_bot_text(db).startswith("Pronto: você não vai mais receber os nossos avisos")
    counts = poll(service(db, whmcs))
    assert counts == {"opted_out": 4, "template": 2}
    assert notices_to(db, ANA.wa_id) == []

    customer_says(db, 3, "voltar a receber", NOW - timedelta(hours=1))
    assert last_bot_text(db).startswith("Pronto: você volta a receber")
    counts = poll(service(db, whmcs))
    assert counts.get("text") == 2  # what is still true goes: the due invoice and the domain
    assert len(notices_to(db, ANA.wa_id)) == 2


def test_parar_from_a_conversation_keyed_by_the_bsuid_stops_the_notices_to_the_number(  # type: ignore[no-untyped-def]
    db: Database, whmcs: FakeWhmcs
):
    ana = Sender(user_id="BR.1502576394655843", wa_id=ANA.wa_id, profile_name="Ana")
    customer_says(db, 1, "oi", NOW - timedelta(hours=3), ana)
    customer_says(db, 2, "Parar", NOW - timedelta(hours=2), ana)
    counts = poll(service(db, whmcs))
    assert counts == {"opted_out": 4, "template": 2}
    customer_says(db, 3, "voltar a receber", NOW - timedelta(hours=1), ana)
    assert poll(service(db, whmcs)).get("text") == 2  # inside the window of the BSUID's chat


def test_parar_in_the_middle_of_a_question_is_that_questions_answer(  # type: ignore[no-untyped-def]
    db: Database, whmcs: FakeWhmcs
):
    customer_says(db, 1, "oi", NOW - timedelta(hours=3))
    customer_says(db, 2, "1", NOW - timedelta(hours=3))  # Tech Ops: "Em qual área…?"
    customer_says(db, 3, "parar", NOW - timedelta(hours=3) + timedelta(minutes=1))
    assert "não entendi" in last_bot_text(db).lower()
    assert "não vai mais receber" not in last_bot_text(db)
    counts = poll(service(db, whmcs))
    assert counts.get("opted_out", 0) == 0
    assert len(notices_to(db, ANA.wa_id)) == 4


def test_a_kind_turned_off_sends_nothing(db: Database, whmcs: FakeWhmcs):  # type: ignore[no-untyped-def]
    counts = poll(service(db, whmcs, notices_off="invoice_overdue,ticket_answered"))
    assert counts == {"off": 2, "template": 4}
    names = {m["name"] for m in notices_to(db, ANA.wa_id) + notices_to(db, CARLOS_NUMBER)}
    assert "aviso_fatura_vencida" not in names
    assert "aviso_chamado_respondido" not in names
    assert "aviso_fatura_vencendo" in names


def test_a_client_without_a_phone_gets_nothing(db: Database, whmcs: FakeWhmcs):  # type: ignore[no-untyped-def]
    whmcs.state.clients[2]["phonenumber"] = ""
    counts = poll(service(db, whmcs))
    assert counts == {"template": 4, "no_phone": 2}
    assert notices_to(db, CARLOS_NUMBER) == []


def test_the_copy_shows_the_notices_and_the_erasure_keeps_only_what_stops_them(  # type: ignore[no-untyped-def]
    db: Database, whmcs: FakeWhmcs
):
    customer_says(db, 1, "oi", NOW - timedelta(hours=2))
    assert poll(service(db, whmcs)) == {"text": 4, "template": 2}
    customer_says(db, 2, "parar", NOW - timedelta(hours=1))
    with db.engine.begin() as connection:  # the sender sent them
        connection.execute(
            update(outbox).where(outbox.c.conversation_key.like("notice:%")).values(status="sent")
        )
        data = document(connection, ANA.key, "5511*****4321", NOW, Policy(), Retention())
    assert len(data["avisos_enviados"]) == 4
    assert {n["como"] for n in data["avisos_enviados"]} == {"mensagem"}
    assert data["avisos_recusados_em"] is not None
    copy = readable(data)
    assert "9. AVISOS DE FATURAS, DOMÍNIOS E CHAMADOS" in copy
    assert "fatura perto do vencimento (por mensagem)" in copy
    assert "Você pediu para não receber estes avisos em" in copy

    with db.engine.begin() as connection:
        counts = erase(connection, ANA.key, NOW)
    assert counts["notices_sent"] == 4
    assert counts["notice_messages"] == 4
    assert counts["notice_optouts"] == 1
    with db.engine.connect() as connection:
        recipients = set(connection.execute(select(notices_sent.c.recipient)).scalars())
        assert recipients == {"removido", CARLOS_NUMBER}
        [kept] = connection.execute(select(notice_optouts.c.address)).scalars()
        assert kept.startswith("sha256:")
        assert ANA.wa_id not in kept
        assert records.opted_out(connection, ANA.wa_id)  # the objection still stands
        bodies = [
            orjson.loads(p)
            for p in connection.execute(
                select(outbox.c.payload).where(
                    outbox.c.recipient == ANA.wa_id, outbox.c.conversation_key.like("notice:%")
                )
            ).scalars()
        ]
    assert {b["body"] for b in bodies} == {ERASED}
    again = poll(service(db, whmcs))
    assert again.get("text", 0) + again.get("template", 0) == 0
