"""What a customer owns, read from the records by the unit of work, on SQLite and PostgreSQL: a
paid diagnosis (with its meeting, when one is booked and still to come) reaches the core at every
step, so that the conversation, sent back to the menu, still finds it; and `cancelar` asks about
the booked meeting instead of claiming to have cancelled something."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from dresbach.domain import codec
from dresbach.domain.events import Sender, TextReceived
from dresbach.domain.holdings import PaidDiagnosis
from dresbach.domain.messages import Message, visible_texts
from dresbach.domain.policy import Policy
from dresbach.domain.scheduling import Slot
from dresbach.runtime.database import Database, migrate
from dresbach.runtime.holdings import owned_by
from dresbach.runtime.schema import bookings, jobs, leads, outbox, payments
from dresbach.runtime.unit_of_work import take_in

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 10:00 in São Paulo
KEY = "5511955557777"
POLICY = Policy()
THURSDAY_14H = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
ANSWERS = {"area": "security", "name": "Ana Souza", "email": "ana@lojaexemplo.com.br"}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def lead(db: Database, lead_id: str, *, status: str = "paid", key: str = KEY) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            leads.insert().values(
                lead_id=lead_id,
                conversation_key=key,
                status=status,
                answers=orjson.dumps(ANSWERS).decode(),
                created_at=NOW - timedelta(days=1),
                updated_at=NOW - timedelta(days=1),
            )
        )


def payment(
    db: Database, txid: str, lead_id: str, *, status: str = "paid", key: str = KEY, ago: int = 2
) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            payments.insert().values(
                txid=txid,
                provider="static",
                provider_id=txid,
                conversation_key=key,
                lead_id=lead_id,
                amount="1800.00",
                copia_e_cola="000201...",
                status=status,
                created_at=NOW - timedelta(hours=ago + 1),
                expires_at=NOW - timedelta(hours=ago),
                paid_at=NOW - timedelta(hours=ago, minutes=30) if status == "paid" else None,
            )
        )


def meeting(
    db: Database, booking_id: str, lead_id: str, start: datetime, status: str = "booked"
) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            bookings.insert().values(
                booking_id=booking_id,
                conversation_key=KEY,
                lead_id=lead_id,
                start_at=start,
                end_at=start + timedelta(hours=1),
                status=status,
                attendee_name="Ana Souza",
                attendee_email="ana@lojaexemplo.com.br",
                calendar="internal",
                ics_ref="ics-x",
                created_at=NOW - timedelta(hours=1),
            )
        )


def owned(db: Database, now: datetime = NOW) -> tuple[PaidDiagnosis, ...]:
    with db.engine.connect() as connection:
        return owned_by(connection, KEY, now)


def test_a_paid_diagnosis_is_owned_with_its_meeting_until_the_meeting_ends(db: Database) -> None:
    assert owned(db) == ()
    lead(db, "lead-1")
    payment(db, "DRB" + "1" * 29, "lead-1", status="active")
    assert owned(db) == ()  # a Pix not paid is not owned

    payment(db, "DRB" + "2" * 29, "lead-1")
    [paid] = owned(db)
    assert paid == PaidDiagnosis(
        lead_id="lead-1",
        area="security",
        amount="1800.00",
        txid="DRB" + "2" * 29,
        name="Ana Souza",
        email="ana@lojaexemplo.com.br",
    )
    assert not paid.booked

    meeting(db, "bk-old", "lead-1", THURSDAY_14H - timedelta(hours=3), status="cancelled")
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)
    [booked] = owned(db)
    assert (booked.booking_id, booked.slot_id) == (
        "bk-1",
        Slot(start=THURSDAY_14H, end=THURSDAY_14H + timedelta(hours=1)).id,
    )
    assert owned(db, THURSDAY_14H + timedelta(minutes=30))[0].booked  # under way: still owned
    assert owned(db, THURSDAY_14H + timedelta(hours=1)) == ()  # held: nothing left to schedule


def test_several_paid_diagnoses_the_booked_meeting_first_and_other_customers_apart(
    db: Database,
) -> None:
    lead(db, "lead-1")
    payment(db, "DRB" + "1" * 29, "lead-1", ago=5)
    lead(db, "lead-2")
    payment(db, "DRB" + "2" * 29, "lead-2", ago=3)
    lead(db, "lead-3")
    payment(db, "DRB" + "3" * 29, "lead-3", ago=2)
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)
    lead(db, "lead-9", key="5511900000000")
    payment(db, "DRB" + "9" * 29, "lead-9", key="5511900000000")
    assert [d.lead_id for d in owned(db)] == ["lead-1", "lead-3", "lead-2"]


# ---- through the unit of work -----------------------------------------------------------------


class Chat:
    def __init__(self, db: Database) -> None:
        self.db, self.now, self._n = db, NOW, 0

    def says(self, body: str) -> str:
        self._n += 1
        event = TextReceived(
            message_id=f"wamid.owned.{self._n}",
            sender=Sender(user_id=None, wa_id=KEY, profile_name="Ana Souza"),
            timestamp=self.now,
            body=body,
        )
        raw = {"from": KEY, "id": event.message_id, "type": "text", "text": {"body": body}}
        taken = take_in(self.db.engine, event, raw, self.now, POLICY)
        assert not taken.defects, taken.defects
        return "\n".join(words(m) for m in self._replies(event.message_id))

    def _replies(self, message_id: str) -> list[Message]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                select(outbox.c.payload)
                .where(outbox.c.callback_data.like(f"{message_id}#%"))
                .order_by(outbox.c.seq)
            ).all()
        return [codec.decode(orjson.loads(r.payload)) for r in rows]


def words(message: Message) -> str:
    return "\n".join(visible_texts(message))


def job_payloads(db: Database, kind: str) -> list[dict[str, Any]]:
    with db.engine.connect() as connection:
        rows = connection.execute(select(jobs.c.payload).where(jobs.c.kind == kind)).all()
    return [orjson.loads(r.payload) for r in rows]


def test_back_at_the_menu_a_booked_customer_finds_the_meeting_not_the_questions(
    db: Database,
) -> None:
    chat = Chat(db)
    chat.says("oi")
    lead(db, "lead-1", status="scheduled")  # paid and booked earlier (its slots long gone)
    payment(db, "DRB" + "1" * 29, "lead-1")
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)

    said = chat.says("Consultoria Tech Ops")
    assert "O seu diagnóstico está marcado para *qui, 26/11/2026 às 14:00" in said
    assert "Em qual área você precisa de ajuda?" not in said
    assert job_payloads(db, "create_charge") == []


def test_cancelar_at_the_menu_asks_about_the_booked_meeting_then_cancels_it(db: Database) -> None:
    chat = Chat(db)
    chat.says("oi")
    lead(db, "lead-1", status="scheduled")
    payment(db, "DRB" + "1" * 29, "lead-1")
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)

    said = chat.says("cancelar")
    assert "Você quer cancelar a reunião de qui, 26/11/2026 às 14:00" in said
    assert "cancelei" not in said
    assert job_payloads(db, "cancel_booking") == []
    chat.says("sim")
    [cancel] = job_payloads(db, "cancel_booking")
    assert cancel["booking_id"] == "bk-1"


def test_quero_agendar_o_diagnostico_que_ja_paguei_books_the_paid_one(db: Database) -> None:
    chat = Chat(db)
    chat.says("oi")
    lead(db, "lead-1")
    payment(db, "DRB" + "1" * 29, "lead-1")

    said = chat.says("quero agendar o diagnóstico que já paguei")
    assert "O diagnóstico de segurança da informação já está pago" in said
    chat.says("Escolher horário")
    [find] = job_payloads(db, "find_slots")
    assert find["lead_id"] == "lead-1"
    assert job_payloads(db, "create_charge") == []
