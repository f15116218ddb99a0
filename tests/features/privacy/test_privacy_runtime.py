"""The `privacidade` requests in the runtime, on SQLite and PostgreSQL: the user asks through the
real unit of work, the job worker runs the request, and the answer comes back to the
conversation. A copy holds what we keep; a correction reaches every record holding the field;
an erasure leaves nothing personal but what the law keeps, and the next message is a first
contact again."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
import pytest
from sqlalchemy import insert, select

from dresbach.features.payments.model import Charge
from dresbach.features.payments.records import store_charge
from dresbach.features.privacy.model import ERASED, EXPORT_FILENAME, Retention
from dresbach.features.privacy.service import WIPED_JOBS, PrivacyService
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel import codec
from dresbach.kernel.commands import RecordLead
from dresbach.kernel.events import ListRowChosen, Sender, TextReceived
from dresbach.kernel.messages import Document
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import (
    audit_log,
    bookings,
    conversations,
    handoffs,
    inbox,
    jobs,
    leads,
    media_blobs,
    outbox,
    payments,
)
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import take_in
from dresbach.platform.whatsapp import payloads
from dresbach.platform.work.effects import apply_commands
from dresbach.platform.work.jobs import Job, JobRunner

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SEALER = Sealer.from_text("44" * 32)
POLICY = Policy(dpo_contact="dpo@exemplo.com.br")
WA_ID = "5511987650042"
NAME = "Joana Prado"
EMAIL = "joana.prado@exemplo.com.br"
TXID = "DRB" + "p" * 29
READABLE_FILENAME = "meus-dados-dresbach.txt"


class Customer:
    """One WhatsApp user talking to the real unit of work, with the job worker at hand."""

    def __init__(self, db: Database) -> None:
        self.db, self.now = db, NOW
        self.sealer = Sealer.from_text("44" * 32)
        self.sender = Sender(user_id=None, wa_id=WA_ID, profile_name=NAME)
        self._ids = itertools.count(1)
        self.privacy = PrivacyService(
            db, POLICY, Retention(), self.sealer, STEP_HOOKS, clock=lambda: self.now
        )
        self.runner = JobRunner(
            db,
            self.privacy.handlers(),
            give_up=dict.fromkeys(self.privacy.handlers(), self.privacy.failed),
            wipe=WIPED_JOBS,
            clock=lambda: self.now,
        )

    def _base(self) -> dict[str, Any]:
        return {
            "message_id": f"wamid.privacy.{next(self._ids)}",
            "sender": self.sender,
            "timestamp": self.now,
        }

    def says(self, body: str) -> None:
        base = self._base()
        payload = payloads.text_message(base["message_id"], WA_ID, body, int(NOW.timestamp()))
        event = TextReceived(**base, body=body)
        take_in(self.db.engine, event, payload, self.now, POLICY, self.sealer, STEP_HOOKS)

    def taps(self, choice_id: str, title: str) -> None:
        base = self._base()
        payload = payloads.reply_message(
            base["message_id"], WA_ID, "list_reply", choice_id, title, int(NOW.timestamp())
        )
        event = ListRowChosen(**base, choice_id=choice_id, title=title)
        take_in(self.db.engine, event, payload, self.now, POLICY, self.sealer, STEP_HOOKS)

    def jobs_run(self) -> None:
        asyncio.run(self.runner.drain())

    def conversation(self) -> dict[str, Any]:
        with self.db.engine.connect() as connection:
            row = connection.execute(
                select(conversations).where(conversations.c.key == WA_ID)
            ).mappings()
            return dict(row.one())

    @property
    def place(self) -> str:
        row = self.conversation()
        return f"{row['flow']}.{row['state']}"

    def bot_messages(self) -> list[Any]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                select(outbox.c.payload)
                .where(outbox.c.conversation_key == WA_ID, outbox.c.kind == "message")
                .order_by(outbox.c.seq)
            ).scalars()
            return [codec.decode(orjson.loads(p)) for p in rows]

    def last_said(self) -> str:
        message = self.bot_messages()[-1]
        return str(getattr(message, "body", None) or getattr(message, "caption", ""))

    def mark_all_sent(self) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(outbox.update().values(status="sent", sent_at=self.now))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def _records(db: Database, customer: Customer) -> None:
    """What other parts of the service keep about the customer: a Tech Ops lead (saved by its
    effect), a paid Pix charge (stored as the payment worker stores it), a past and a future
    meeting, a closed hand-off with its context."""
    with db.engine.begin() as connection:
        apply_commands(
            connection,
            WA_ID,
            [
                RecordLead(
                    command_id="seed:lead",
                    lead_id="lead-joana",
                    status="paid",
                    answers={
                        "area": "security",
                        "name": NAME,
                        "email": EMAIL,
                        "company": "Prado Ltda",
                        "description": "Nosso servidor foi invadido ontem",
                    },
                )
            ],
            NOW - timedelta(days=3),
            customer.sealer,
        )
    charge = Charge(
        txid=TXID,
        provider="static",
        provider_id=TXID,
        copia_e_cola="00020101021226...6304ABCD",
        amount=Decimal("1800.00"),
        created_at=NOW - timedelta(days=3),
        expires_at=NOW - timedelta(days=3) + timedelta(hours=1),
    )
    job = Job(
        id=0,
        command_id="seed:charge",
        kind="create_charge",
        conversation_key=WA_ID,
        payload={"lead_id": "lead-joana"},
        attempts=0,
    )
    store_charge(db.engine, charge, job, None, NOW - timedelta(days=3), POLICY, SEALER, STEP_HOOKS)
    with db.engine.begin() as connection:
        connection.execute(payments.update().values(status="paid", paid_at=NOW - timedelta(days=3)))
        for booking_id, start in (
            ("past", NOW - timedelta(days=1)),
            ("next", NOW + timedelta(days=2)),
        ):
            connection.execute(
                insert(bookings).values(
                    booking_id=booking_id,
                    conversation_key=WA_ID,
                    lead_id="lead-joana",
                    start_at=start,
                    end_at=start + timedelta(hours=1),
                    status="booked",
                    attendee_name=NAME,
                    attendee_email=EMAIL,
                    calendar="internal",
                    created_at=NOW - timedelta(days=3),
                )
            )
        connection.execute(
            insert(handoffs).values(
                request_id="seed:handoff",
                conversation_key=WA_ID,
                status="closed",
                reason="customer",
                flow="techops",
                context=orjson.dumps({"customer": {"name": NAME, "address": WA_ID}}).decode(),
                requested_at=NOW - timedelta(days=2),
                ended_at=NOW - timedelta(days=2) + timedelta(minutes=20),
            )
        )


def dump(db: Database) -> str:
    """Every column of every row of the tables that hold a customer's data, as text (but the
    meeting yet to happen, which keeps its attendee)."""
    with db.engine.connect() as connection:
        rows = [
            " ".join(str(v) for v in row)
            for table in (conversations, inbox, outbox, leads, handoffs, jobs, bookings)
            for row in connection.execute(select(table))
        ]
    return "\n".join(row for row in rows if not row.startswith("next "))


def test_the_user_asks_for_a_copy_and_gets_a_readable_text_and_the_json(db: Database) -> None:
    customer = Customer(db)
    customer.says("oi")
    _records(db, customer)
    customer.says("Meu servidor caiu, quero ajuda")
    customer.says("privacidade")
    assert customer.place == "privacy.start"
    customer.taps("privacy:export", "Baixar meus dados")
    assert customer.place == "privacy.exporting"
    assert "reunindo tudo" in customer.last_said()

    customer.jobs_run()

    readable, document = customer.bot_messages()[-3:-1]
    assert isinstance(readable, Document)
    assert readable.filename == READABLE_FILENAME
    assert isinstance(document, Document)
    assert document.filename == EXPORT_FILENAME
    assert document.upload_ref is not None
    assert customer.last_said() == "Como posso ajudar você hoje?"  # the menu follows
    assert customer.place == "menu.main"
    with db.engine.connect() as connection:
        blob = (
            connection.execute(select(media_blobs).where(media_blobs.c.ref == document.upload_ref))
            .mappings()
            .one()
        )
        text_blob = (
            connection.execute(select(media_blobs).where(media_blobs.c.ref == readable.upload_ref))
            .mappings()
            .one()
        )
    assert blob["mime_type"] == "text/plain"  # WhatsApp takes no application/json upload
    assert (text_blob["mime_type"], text_blob["filename"]) == ("text/plain", READABLE_FILENAME)
    text = text_blob["data"].decode("utf-8")
    # in words a person reads: what we hold, why, and for how long, in Brasília time
    assert text.startswith("SEUS DADOS NA DRESBACH HOSTING DO BRASIL LTDA\n")
    assert "Cópia gerada em 25/11/2026, às 12h (horário de Brasília)" in text
    assert f"- Número de WhatsApp: +{WA_ID}" in text
    assert f"- Nome do seu perfil no WhatsApp: {NAME}" in text
    assert "] Você: Meu servidor caiu, quero ajuda" in text
    assert "- Cadastro de 22/11/2026, às 12h: pago" in text
    assert f"  E-mail: {EMAIL}" in text
    assert "  Área: Segurança da informação" in text
    assert (
        "- Pix de R$ 1.800,00, criado em 22/11/2026, às 12h: pago, pago em 22/11/2026, às 12h "
        f"(código da cobrança: {TXID})"
    ) in text
    assert "- 27/11/2026, às 12h: marcada" in text
    assert f"  Participante: {NAME} <{EMAIL}>" in text
    assert "- Pedido em 23/11/2026, às 12h: encerrado" in text
    assert "- 25/11/2026, às 12h: cópia dos dados" in text
    assert "Guardados por 2192 dias." in text
    assert "meus-dados-dresbach.json" in text
    for code in ('"', "{", "paid", "closed", "privacy_export", "security", "techops.", "T15:"):
        assert code not in text, f"an internal code in the readable copy: {code!r}"
    data = orjson.loads(blob["data"])
    assert data["titular"]["whatsapp"] == WA_ID
    assert data["titular"]["nome_do_perfil"] == NAME
    assert data["encarregado_de_dados"] == "dpo@exemplo.com.br"
    said = [m["conteudo"] for m in data["mensagens_recebidas"]]
    assert said == ["oi", "Meu servidor caiu, quero ajuda", "privacidade", "Baixar meus dados"]
    assert any("LGPD" in m["conteudo"] for m in data["mensagens_enviadas"])
    lead = data["cadastros_de_consultoria"][0]
    assert lead["respostas"]["email"] == EMAIL
    assert lead["situacao"] == "paid"
    assert data["pagamentos"][0]["txid"] == TXID
    assert data["pagamentos"][0]["valor"] == "1800.00"
    assert data["pagamentos"][0]["pago_em"] is not None
    assert {m["nome"] for m in data["reunioes"]} == {NAME}
    assert data["atendimentos_humanos"][0]["situacao"] == "closed"
    assert [r["pedido"] for r in data["pedidos_de_privacidade"]] == ["privacy_export"]
    assert data["aviso_de_privacidade"]["exibido_em"] is not None
    assert "dpo@exemplo.com.br" in data["area_do_cliente"]
    assert "2192 dias" in data["bases_legais_e_prazos"]["pagamentos_e_reunioes"]

    # the job runs once: a repeated run stores no second file and says nothing twice
    before = len(customer.bot_messages())
    with db.engine.begin() as connection:
        connection.execute(jobs.update().values(status="pending"))
    customer.jobs_run()
    assert len(customer.bot_messages()) == before
    with db.engine.connect() as connection:
        assert len(connection.execute(select(media_blobs.c.ref)).all()) == 2  # text and JSON
        actions = connection.execute(select(audit_log.c.action, audit_log.c.who)).all()
    assert ("privacy_export", "5511*****0042") in actions


def test_the_user_corrects_the_email_of_every_record_holding_it(db: Database) -> None:
    customer = Customer(db)
    customer.says("oi")
    _records(db, customer)
    with db.engine.begin() as connection:  # a second, older lead that never got to the e-mail
        apply_commands(
            connection,
            WA_ID,
            [RecordLead(command_id="s2", lead_id="lead-old", status="lost", answers={"area": "x"})],
            NOW - timedelta(days=30),
        )
    customer.says("privacidade")
    customer.taps("privacy:correct", "Corrigir meus dados")
    assert customer.place == "privacy.correct_checking"
    customer.jobs_run()  # what we hold is counted first
    assert customer.place == "privacy.correct_which"
    assert "temos o seu nome e o seu e-mail" in customer.last_said()
    customer.taps("privacy:email", "E-mail")
    assert customer.last_said() == "Qual é o e-mail correto?"
    customer.says("joana@")
    assert "não parece completo" in customer.last_said()
    assert customer.place == "privacy.correct_email"
    customer.says("joana@pradoltda.com.br")
    assert customer.place == "privacy.correcting"

    customer.jobs_run()

    assert "Corrigi o seu e-mail no seu cadastro" in customer.last_said()
    assert customer.place == "menu.main"
    with db.engine.connect() as connection:
        answers = dict(connection.execute(select(leads.c.lead_id, leads.c.answers)).all())
        job = connection.execute(
            select(jobs.c.payload, jobs.c.status).where(jobs.c.kind == "correct_personal_data")
        ).one()
        details = (
            connection.execute(
                select(audit_log.c.detail).where(audit_log.c.action == "privacy_correction")
            )
            .scalars()
            .all()
        )
    assert orjson.loads(answers["lead-joana"])["email"] == "joana@pradoltda.com.br"
    assert orjson.loads(answers["lead-joana"])["name"] == NAME
    assert "email" not in orjson.loads(answers["lead-old"])
    assert job == ("{}", "done")  # the new address does not stay in the job's payload
    assert details == ["email: 1 record(s)"]  # the audit says what, never the value


def test_a_correction_with_nothing_to_correct_says_so_before_asking(db: Database) -> None:
    customer = Customer(db)
    customer.says("privacidade")
    customer.taps("privacy:correct", "Corrigir meus dados")
    customer.jobs_run()
    # no record holds a name or an e-mail: said at once, and the privacy options come back
    said = [getattr(m, "body", "") for m in customer.bot_messages()]
    assert not any("Qual é o nome correto?" in s or "Qual é o e-mail correto?" in s for s in said)
    assert said[-1].startswith("Não encontrei nenhum cadastro seu com nome ou e-mail")
    assert customer.place == "privacy.start"
    with db.engine.connect() as connection:
        kinds = connection.execute(select(jobs.c.kind, jobs.c.status)).all()
    assert kinds == [("count_correctable_data", "done")]


def test_erasure_keeps_what_the_law_keeps_and_starts_afresh(db: Database) -> None:
    customer = Customer(db)
    customer.says("oi")
    _records(db, customer)
    customer.says("Nosso servidor foi invadido ontem, preciso de ajuda")
    customer.says("privacidade")
    customer.taps("privacy:export", "Baixar meus dados")
    customer.jobs_run()
    customer.mark_all_sent()
    customer.says("privacidade")
    customer.taps("privacy:erase", "Excluir meus dados")
    confirm = customer.last_said()
    assert "cinco anos" in confirm
    assert "173 e 174" in confirm
    assert confirm.endswith("Confirma a exclusão?")
    customer.says("sim")
    assert customer.place == "privacy.erasing"
    waiting = customer.last_said()  # not sent yet when the job runs: it must still go out
    before = dump(db)
    assert "invadido" in before
    assert EMAIL in before

    customer.jobs_run()

    after = dump(db)
    for personal in ("invadido", EMAIL, "Prado Ltda", NAME):
        assert personal not in after, personal
    assert customer.place == "menu.new"
    assert customer.conversation()["slots"] == "{}"
    assert customer.conversation()["profile_name"] is None
    assert "Excluí seus dados pessoais" in customer.last_said()
    with db.engine.connect() as connection:
        outgoing = connection.execute(
            select(outbox.c.payload, outbox.c.status).where(outbox.c.kind == "message")
        ).all()
        payment = connection.execute(select(payments)).mappings().one()
        lead = connection.execute(select(leads)).mappings().one()
        meetings = dict(
            connection.execute(select(bookings.c.booking_id, bookings.c.attendee_name)).all()
        )
        context = connection.execute(select(handoffs.c.context)).scalar_one()
        blobs = connection.execute(select(media_blobs.c.ref)).scalars().all()
        erasure = connection.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "privacy_erasure")
        ).scalar_one()
    sent = [orjson.loads(p) for p, status in outgoing if status == "sent"]
    assert sent
    assert all(p["body"] == ERASED for p in sent)
    pending = [codec.decode(orjson.loads(p)) for p, status in outgoing if status == "pending"]
    assert waiting in [getattr(m, "body", "") for m in pending]  # still goes out as it was
    assert (payment["txid"], payment["lead_id"], payment["amount"]) == (
        TXID,
        "lead-joana",
        "1800.00",
    )
    assert payment["status"] == "paid"
    assert (lead["status"], lead["answers"]) == ("paid", "{}")
    assert meetings == {"past": ERASED, "next": NAME}  # the next meeting still needs a name
    assert NAME not in context
    assert blobs == []  # the earlier copy is gone too
    assert "payments kept: 1" in erasure

    # the next message is a first contact: the privacy notice again
    customer.says("oi")
    assert any("LGPD" in getattr(m, "body", "") for m in customer.bot_messages()[-2:])
    assert customer.place == "menu.main"


def test_saying_no_erases_nothing(db: Database) -> None:
    customer = Customer(db)
    customer.says("oi")
    customer.says("privacidade")
    customer.taps("privacy:erase", "Excluir meus dados")
    customer.says("não")
    assert customer.place == "privacy.start"
    assert "não excluí nada" in customer.last_said()
    with db.engine.connect() as connection:
        assert connection.execute(select(jobs)).all() == []
