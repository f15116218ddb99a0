"""A paid diagnosis over the unit of work, on SQLite and PostgreSQL: the records reach the core
at every step, so that a customer sent back to the menu still finds what they paid for; and
`cancelar` asks about the booked meeting instead of claiming to have cancelled something."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel import codec
from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.messages import Message, visible_texts
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import jobs, outbox
from dresbach.platform.store.unit_of_work import take_in
from tests.support.paid_records import KEY, NOW, THURSDAY_14H, lead, meeting, payment

POLICY = Policy()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


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
        taken = take_in(self.db.engine, event, raw, self.now, POLICY, hooks=STEP_HOOKS)
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
    assert "O seu diagnóstico está marcado para *quinta, 26/11/2026, às 14h" in said
    assert "Em qual área você precisa de ajuda?" not in said
    assert job_payloads(db, "create_charge") == []


def test_cancelar_at_the_menu_asks_about_the_booked_meeting_then_cancels_it(db: Database) -> None:
    chat = Chat(db)
    chat.says("oi")
    lead(db, "lead-1", status="scheduled")
    payment(db, "DRB" + "1" * 29, "lead-1")
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)

    said = chat.says("cancelar")
    assert "Você quer cancelar a reunião de quinta, 26/11/2026, às 14h" in said
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
