"""#10.17 in the runtime, on SQLite and PostgreSQL: the CNPJ a lead gave is kept sealed beside
its masked answers; an operator reveals it (audited with their name); the hand-off context
shows the masked CNPJ, not "***"; an erasure and the retention purge take the sealed copy too;
and a message that shows the customer their own CNPJ is kept masked in the outbox, with the
clear one sealed only until it is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import orjson
import pytest
from sqlalchemy import select

from dresbach.features.handoff.context import gather, summary_lines
from dresbach.features.privacy.model import Retention
from dresbach.features.privacy.personal_data import erase
from dresbach.features.techops.leads import list_leads, reveal_cnpj
from dresbach.kernel.commands import RecordLead
from dresbach.kernel.messages import Button, Buttons, Message
from dresbach.platform.outbound.sender import OutboxSender
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.retention import RetentionPurge
from dresbach.platform.store.schema import audit_log, leads, outbox, payments
from dresbach.platform.store.sealing import Sealer, is_sealed
from dresbach.platform.store.unit_of_work import outbound_at_rest
from dresbach.platform.work.effects import apply_commands

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SEALER = Sealer.from_text("33" * 32)
KEY = "5511900000077"
CNPJ = "12ABC34501DE35"
MASKED = "**.***.***/01DE-**"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def record(db: Database, status: str, document: str | None = CNPJ) -> None:
    answers = {"company": "Loja Exemplo", "area": "security"}
    if document:
        answers["cnpj"] = MASKED
    command = RecordLead(
        command_id=f"wamid.1:lead:{status}",
        lead_id="lead-1",
        status=status,
        answers=MappingProxyType(answers),
        document=document,
    )
    with db.engine.begin() as connection:
        apply_commands(connection, KEY, [command], NOW, SEALER)


def lead_row(db: Database) -> dict:  # type: ignore[type-arg]
    with db.engine.connect() as connection:
        return dict(connection.execute(select(leads)).mappings().one())


def test_the_cnpj_is_sealed_beside_the_masked_answers_and_revealed_audited(db: Database) -> None:
    record(db, "qualified")
    record(db, "offered")
    row = lead_row(db)
    assert orjson.loads(row["answers"])["cnpj"] == MASKED
    assert is_sealed(row["cnpj_sealed"])
    assert CNPJ not in str(row)
    [lead] = list_leads(db.engine)
    assert lead.has_cnpj

    shown = reveal_cnpj(db.engine, SEALER, "lead-1", "ana", NOW)
    assert shown == "12.ABC.345/01DE-35"
    assert reveal_cnpj(db.engine, SEALER, "no-such-lead", "ana", NOW) is None
    with db.engine.connect() as connection:
        audited = connection.execute(
            select(audit_log.c.who, audit_log.c.action, audit_log.c.document_masked).where(
                audit_log.c.action == "cnpj_revealed"
            )
        ).all()
    assert [tuple(a) for a in audited] == [("ana", "cnpj_revealed", MASKED)]

    record(db, "offered", document=None)  # the customer took the CNPJ back
    assert lead_row(db)["cnpj_sealed"] is None
    assert reveal_cnpj(db.engine, SEALER, "lead-1", "ana", NOW) is None


def test_the_hand_off_shows_the_masked_cnpj_not_three_stars(db: Database) -> None:
    record(db, "paid")
    with db.engine.connect() as connection:
        context = gather(
            connection, KEY, reason="consultant", flow="techops", lead_id="lead-1", booking_id=None
        )
    assert context["lead"]["answers"]["cnpj"] == MASKED
    assert f"CNPJ: {MASKED}" in summary_lines(context)


def test_an_erasure_and_the_retention_purge_take_the_sealed_cnpj(db: Database) -> None:
    record(db, "offered")
    with db.engine.begin() as connection:
        erase(connection, KEY, NOW)
    assert lead_row(db)["cnpj_sealed"] is None

    record(db, "paid")  # a paid lead is kept (its payment is), its answers emptied in time
    with db.engine.begin() as connection:
        connection.execute(
            payments.insert().values(
                txid="DRB" + "c" * 29,
                provider="static",
                provider_id="DRB" + "c" * 29,
                conversation_key=KEY,
                lead_id="lead-1",
                amount="1800.00",
                copia_e_cola="000201...",
                status="paid",
                created_at=NOW,
                expires_at=NOW + timedelta(hours=1),
            )
        )
    assert lead_row(db)["cnpj_sealed"] is not None
    later = NOW + timedelta(days=800)
    asyncio.run(RetentionPurge(db, Retention(), clock=lambda: later).sweep())
    row = lead_row(db)
    assert (row["answers"], row["cnpj_sealed"]) == ("{}", None)


class Recorder:
    """A MessageSender that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[Message] = []

    async def send(self, recipient: str, message: Message, *, callback_data: str | None) -> str:
        self.sent.append(message)
        return f"wamid.out.{len(self.sent)}"

    async def mark_read(self, message_id: str, *, typing: bool) -> None:
        return None

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        raise AssertionError("nothing to upload here")

    async def aclose(self) -> None:
        return None


def test_a_message_with_the_customers_cnpj_is_sealed_until_sent_then_kept_masked(
    db: Database,
) -> None:
    summary = Buttons(
        body="Confira os seus dados:\n\n*CNPJ:* 12.ABC.345/01DE-35",
        buttons=(Button(id="summary:ok", title="Está tudo certo"),),
    )
    from dresbach.kernel import codec

    stored = outbound_at_rest(codec.encode(summary), SEALER)
    assert stored["body"] == f"Confira os seus dados:\n\n*CNPJ:* {MASKED}"
    assert is_sealed(stored["sealed"])
    plain = codec.encode(Buttons(body="Está tudo certo?", buttons=summary.buttons))
    assert outbound_at_rest(plain, SEALER) == plain  # nothing to hide: kept as it is
    with db.engine.begin() as connection:
        connection.execute(
            outbox.insert().values(
                conversation_key=KEY,
                seq=1,
                recipient=KEY,
                kind="message",
                payload=orjson.dumps(stored).decode(),
                status="pending",
                attempts=0,
                next_attempt_at=NOW,
                delivery_rank=0,
                created_at=NOW,
            )
        )
    client = Recorder()
    sender = OutboxSender(db, client, clock=lambda: NOW, sealer=SEALER)  # type: ignore[arg-type]

    async def send() -> None:
        await sender.drain()
        await sender.flush()

    asyncio.run(send())
    assert client.sent == [summary]  # the customer reads their CNPJ in full
    with db.engine.connect() as connection:
        row = connection.execute(select(outbox.c.status, outbox.c.payload)).one()
    assert row.status == "sent"
    kept = orjson.loads(row.payload)
    assert "sealed" not in kept  # the clear copy is gone once sent
    assert kept["body"].endswith(MASKED)
    assert CNPJ not in row.payload
    assert "12.ABC.345" not in row.payload
