"""Per-user flood protection through the unit of work, on SQLite and PostgreSQL.

Maria sends 200 messages within a minute; Ana writes now and then. The bot steps Maria's first
30 (the limit), tells her once, politely, to wait, keeps every message in the inbox, and answers
Ana as always. After the minute Maria is answered again.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from sqlalchemy import select

from dresbach.features.menu.flow.texts import TEXTS
from dresbach.kernel import codec
from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.messages import Message, Text, visible_texts
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.store.unit_of_work import take_in
from tests.conftest import _truncate

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
LIMIT = 30
POLICY = Policy(flood_per_minute=LIMIT)
MARIA = Sender(user_id="BR.200", wa_id="5511911112222", profile_name="Maria")
ANA = Sender(user_id=None, wa_id="5521933334444", profile_name="Ana")
NOTICE = TEXTS["flood"]


@pytest.fixture
def db(database_url: str) -> Database:
    migrate(database_url)
    database = Database(database_url)
    yield database  # type: ignore[misc]
    database.close()


class Chat:
    """Users saying things at given times; what the bot queued for each, in order."""

    def __init__(self, db: Database, policy: Policy = POLICY) -> None:
        self.db, self.policy, self.sent = db, policy, 0

    def says(self, who: Sender, body: str, at: datetime) -> None:
        self.sent += 1
        event = TextReceived(
            message_id=f"wamid.flood.{who.key}.{self.sent}", sender=who, timestamp=at, body=body
        )
        assert not take_in(
            self.db.engine, event, {"text": {"body": body}}, at, self.policy
        ).duplicate

    def queued(self, who: Sender) -> list[dict]:  # type: ignore[type-arg]
        with self.db.engine.connect() as connection:
            found = connection.execute(
                select(outbox).where(outbox.c.conversation_key == who.key).order_by(outbox.c.seq)
            )
            return [dict(r) for r in found.mappings()]

    def bot_says(self, who: Sender) -> list[str]:
        """The texts of every message queued for `who`, in order (read receipts left out)."""
        said = []
        for row in self.queued(who):
            if row["kind"] == "message":
                message: Message = codec.decode(orjson.loads(row["payload"]))
                said.append("\n".join(visible_texts(message)))
        return said

    def reads(self, who: Sender) -> int:
        """Read receipts queued: one per message the bot stepped."""
        return sum(1 for row in self.queued(who) if row["kind"] == "read")

    def inbox_of(self, who: Sender) -> list[dict]:  # type: ignore[type-arg]
        with self.db.engine.connect() as connection:
            found = connection.execute(select(inbox).where(inbox.c.conversation_key == who.key))
            return [dict(r) for r in found.mappings()]

    def conversation(self, who: Sender) -> dict:  # type: ignore[type-arg]
        with self.db.engine.connect() as connection:
            found = connection.execute(select(conversations).where(conversations.c.key == who.key))
            return dict(found.mappings().one())


def test_two_hundred_messages_in_a_minute_are_slowed_and_another_user_is_not(db: Database) -> None:
    chat = Chat(db)
    for n in range(200):
        at = NOW + timedelta(seconds=n * 0.29)  # 200 messages in 58 s
        chat.says(MARIA, "oi" if n == 0 else f"mensagem {n}", at)
        if n % 40 == 20:
            chat.says(ANA, "oi" if n == 20 else "menu", at)

    # Maria: her first 30 messages were stepped (one read receipt each), then one notice.
    assert chat.reads(MARIA) == LIMIT
    said = chat.bot_says(MARIA)
    assert said.count(NOTICE) == 1
    assert said[-1] == NOTICE  # after the answers to the 30 stepped messages, and nothing else
    assert "?" not in NOTICE
    notice_row = chat.queued(MARIA)[-1]
    assert notice_row["callback_data"] == f"wamid.flood.{MARIA.key}.{LIMIT + 1 + 1}#0"
    # (the 31st of Maria's messages was the 32nd said: Ana spoke once before it)

    # Nothing lost: all 200 are in the inbox; the flood ones are kept where the conversation was.
    stored = chat.inbox_of(MARIA)
    assert len(stored) == 200
    place = f"{chat.conversation(MARIA)['flow']}.{chat.conversation(MARIA)['state']}"
    flooded = sorted(stored, key=lambda r: r["id"])[LIMIT:]
    assert {r["place"] for r in flooded} == {place}
    assert orjson.loads(flooded[-1]["payload"]) == {"text": {"body": "mensagem 199"}}

    # The conversation row stays consistent: every write counted, the outbox gap-free.
    row = chat.conversation(MARIA)
    assert row["version"] == 200
    assert [r["seq"] for r in chat.queued(MARIA)] == list(range(1, row["outbox_seq"] + 1))
    assert row["flood_count"] == 200

    # Ana was answered every time, and never told to slow down.
    ana_said = chat.bot_says(ANA)
    assert chat.reads(ANA) == 5
    assert NOTICE not in ana_said
    assert "LGPD" in ana_said[0]
    assert len(ana_said) >= 5


def test_after_the_minute_the_user_is_answered_again_and_told_once_per_window(
    db: Database,
) -> None:
    chat = Chat(db)
    for n in range(LIMIT + 10):
        chat.says(MARIA, "oi" if n == 0 else f"mensagem {n}", NOW + timedelta(seconds=n))
    assert chat.bot_says(MARIA).count(NOTICE) == 1
    before = len(chat.bot_says(MARIA))

    # The user waits: a minute after the window opened, the next message is stepped.
    chat.says(MARIA, "menu", NOW + timedelta(seconds=61))
    after = chat.bot_says(MARIA)[before:]
    assert after, "the bot should answer after the minute"
    assert NOTICE not in after
    assert chat.reads(MARIA) == LIMIT + 1

    # A second flood in the new window gets the notice again, once.
    for n in range(LIMIT + 5):
        chat.says(MARIA, f"de novo {n}", NOW + timedelta(seconds=62 + n))
    assert chat.bot_says(MARIA).count(NOTICE) == 2
    assert chat.reads(MARIA) == 2 * LIMIT
    assert len(chat.inbox_of(MARIA)) == (LIMIT + 10) + 1 + (LIMIT + 5)


def test_a_redelivered_message_is_not_counted_twice(db: Database) -> None:
    chat = Chat(db)
    event = TextReceived(message_id="wamid.once", sender=MARIA, timestamp=NOW, body="oi")
    for _ in range(LIMIT + 5):
        take_in(db.engine, event, {}, NOW, POLICY)
    assert chat.conversation(MARIA)["flood_count"] == 1
    assert chat.reads(MARIA) == 1
    assert NOTICE not in chat.bot_says(MARIA)


def test_no_limit_when_the_setting_is_zero(db: Database) -> None:
    chat = Chat(db, Policy(flood_per_minute=0))
    for n in range(LIMIT * 2):
        chat.says(MARIA, "oi" if n == 0 else f"mensagem {n}", NOW)
    assert chat.reads(MARIA) == LIMIT * 2
    assert NOTICE not in chat.bot_says(MARIA)


def test_two_processes_share_the_count(postgres_database: str) -> None:
    """Two engines (as two `dresbach serve` processes) take one user's flood in concurrently:
    the count lives in the conversation row, under its lock, so the limit holds across them.
    PostgreSQL only: several processes is its deployment; on SQLite one process has one writer
    (two engines there just queue on SQLite's file lock, which proves nothing more)."""
    database_url = postgres_database
    _truncate(database_url)
    migrate(database_url)
    first, second = Database(database_url), Database(database_url)
    errors: list[BaseException] = []

    def deliver(db: Database, numbers: range) -> None:
        try:
            for n in numbers:
                event = TextReceived(
                    message_id=f"wamid.two.{n}", sender=MARIA, timestamp=NOW, body=f"m{n}"
                )
                take_in(db.engine, event, {}, NOW + timedelta(milliseconds=n), POLICY)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=deliver, args=(db, range(k, 100, 4)))
        for k, db in enumerate((first, second, first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        chat = Chat(first)
        assert chat.reads(MARIA) == LIMIT
        assert chat.bot_says(MARIA).count(NOTICE) == 1
        assert len(chat.inbox_of(MARIA)) == 100
        row = chat.conversation(MARIA)
        assert (row["version"], row["flood_count"]) == (100, 100)
        assert [r["seq"] for r in chat.queued(MARIA)] == list(range(1, row["outbox_seq"] + 1))
    finally:
        first.close()
        second.close()


def test_the_notice_is_a_plain_polite_text_within_whatsapp_limits() -> None:
    from dresbach.kernel.limits import violations
    from dresbach.platform.inbound.flood import notice

    message = notice()
    assert isinstance(message, Text)
    assert violations(message) == []
    assert message.body.startswith("Recebi muitas mensagens seguidas")
    assert "por favor" in message.body


def test_a_flood_typed_where_secrets_are_asked_is_not_kept_in_clear(db: Database) -> None:
    chat = Chat(db)
    chat.says(MARIA, "oi", NOW)
    chat.says(MARIA, "2", NOW)  # Área do Cliente: the bot asks for the CPF/CNPJ (sensitive)
    assert chat.conversation(MARIA)["state"] == "start"
    for n in range(LIMIT + 10):
        chat.says(MARIA, f"minha senha é Segredo{n}!", NOW + timedelta(seconds=1))
    assert chat.bot_says(MARIA).count(NOTICE) == 1
    stored = [r["payload"] for r in chat.inbox_of(MARIA)]
    assert len(stored) == LIMIT + 12
    assert not [p for p in stored if "Segredo" in p]
