"""Quick texts understood together (issue #14 item 5), on SQLite and PostgreSQL.

Maria splits one thought into three quick messages at the menu: the bot reads each as it comes
and answers once, to the three together. The same three, 3 s apart, are three turns. At the
document prompt nothing is held: a CPF is its own turn. A redelivered message of the burst is a
duplicate, before and after the turn; a tapped button after the texts comes after their turn.
With the window at 0 every text is its own turn at once (as before bursts). The real wiring:
the pipeline takes the messages in, the job runner runs the burst job at its due time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select, update

from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel.events import ButtonChosen, Event, Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.jobs import JobRunner
from tests.support.stack_fixtures import Stack

START = datetime(2026, 12, 12, 15, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=2)
MARIA = Sender(user_id=None, wa_id="5511911112222", profile_name="Maria")
CPF = "529.982.247-25"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


class Chat:
    """Maria's messages through the pipeline at a clock the test moves; the burst job run by the
    job runner when the test lets time pass."""

    def __init__(self, db: Database, window: timedelta = WINDOW) -> None:
        self.db, self.now, self.n = db, START, 0
        clock = lambda: self.now  # noqa: E731 - the test's clock, read at each call
        self.pipeline = Pipeline(
            db=db,
            policy=Policy(burst_window=window),
            sealer=Sealer(b"\x01" * 32),
            hooks=STEP_HOOKS,
            clock=clock,
        )
        self.jobs = JobRunner(db, self.pipeline.jobs, clock=clock)

    def _take(self, event: Event, payload: dict[str, Any]) -> bool:
        async def run() -> bool:
            return not (await self.pipeline.take_in(event, payload)).duplicate

        return asyncio.run(run())

    def says(self, body: str, message_id: str | None = None) -> str:
        if message_id is None:
            self.n += 1
            message_id = f"wamid.burst.{self.n}"
        event = TextReceived(message_id=message_id, sender=MARIA, timestamp=self.now, body=body)
        self._take(event, {"id": message_id, "type": "text", "text": {"body": body}})
        return message_id

    def redelivers(self, message_id: str, body: str) -> bool:
        """True when the message was taken in again (it must not be)."""
        event = TextReceived(message_id=message_id, sender=MARIA, timestamp=self.now, body=body)
        return self._take(event, {"id": message_id, "type": "text", "text": {"body": body}})

    def taps(self, choice_id: str, title: str) -> str:
        self.n += 1
        message_id = f"wamid.burst.{self.n}"
        event = ButtonChosen(
            message_id=message_id,
            sender=MARIA,
            timestamp=self.now,
            choice_id=choice_id,
            title=title,
        )
        self._take(event, {"id": message_id, "type": "interactive"})
        return message_id

    def waits(self, seconds: float) -> None:
        """Time passes; the job runner runs what fell due."""
        self.now += timedelta(seconds=seconds)
        asyncio.run(self.jobs.drain())

    def queued(self) -> list[dict[str, Any]]:
        with self.db.engine.connect() as connection:
            found = connection.execute(
                select(outbox).where(outbox.c.conversation_key == MARIA.key).order_by(outbox.c.seq)
            )
            return [dict(r) for r in found.mappings()]

    def turns(self) -> list[str]:
        """The message each turn answered, in order: the ids the replies were queued for."""
        seen: list[str] = []
        for row in self.queued():
            if row["kind"] == "message":
                answered = row["callback_data"].rsplit("#", 1)[0]
                if not seen or seen[-1] != answered:
                    seen.append(answered)
        return seen

    def reads(self) -> list[tuple[str, bool]]:
        return [
            (payload["message_id"], payload["typing"])
            for row in self.queued()
            if row["kind"] == "read"
            for payload in [orjson.loads(row["payload"])]
        ]

    def inbox(self) -> list[dict[str, Any]]:
        with self.db.engine.connect() as connection:
            found = connection.execute(
                select(inbox).where(inbox.c.conversation_key == MARIA.key).order_by(inbox.c.id)
            )
            return [dict(r) for r in found.mappings()]

    def held(self) -> Any:
        with self.db.engine.connect() as connection:
            return connection.execute(
                select(conversations.c.held).where(conversations.c.key == MARIA.key)
            ).scalar_one()

    def put_at(self, flow: str, state: str) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(
                update(conversations)
                .where(conversations.c.key == MARIA.key)
                .values(flow=flow, state=state)
            )


def _greeted(chat: Chat) -> None:
    """Maria's first contact, answered: she is at the menu."""
    chat.says("oi")
    chat.waits(3)
    assert chat.turns() == ["wamid.burst.1"]


def test_three_quick_texts_at_the_menu_are_one_turn_with_one_answer(db: Database) -> None:
    chat = Chat(db)
    _greeted(chat)
    first = chat.says("boa tarde")
    chat.now += timedelta(seconds=0.8)
    second = chat.says("meu site")
    chat.now += timedelta(seconds=0.9)
    last = chat.says("caiu desde ontem")
    # read as they came, not answered yet: the held texts wait, sealed
    assert [m for m, _ in chat.reads()][-3:] == [first, second, last]
    assert chat.turns() == ["wamid.burst.1"]
    assert chat.held() is not None
    assert "caiu" not in chat.held()
    chat.waits(1.5)  # the first texts' jobs fall due: a later text was held, they do nothing
    assert chat.turns() == ["wamid.burst.1"]
    chat.waits(1.0)  # two seconds after the last: one turn, for the three
    assert chat.turns() == ["wamid.burst.1", last]
    assert chat.reads()[-1] == (last, True)  # "typing…" with the answer
    assert chat.held() is None
    kept = chat.inbox()[-3:]
    assert [row["message_id"] for row in kept] == [first, second, last]
    assert len({row["place"] for row in kept}) == 1
    chat.waits(5)  # nothing more: the turn was taken once
    assert chat.turns() == ["wamid.burst.1", last]


def test_the_same_texts_three_seconds_apart_are_three_turns(db: Database) -> None:
    chat = Chat(db)
    _greeted(chat)
    ids = []
    for body in ("boa tarde", "obrigada", "tchau"):
        ids.append(chat.says(body))
        chat.waits(3)
    assert chat.turns() == ["wamid.burst.1", *ids]


def test_a_late_job_does_not_merge_texts_further_apart_than_the_window(db: Database) -> None:
    """The job runner is late (no pass between them): the second text, 3 s after the first,
    steps the first on its own before being held itself."""
    chat = Chat(db)
    _greeted(chat)
    first = chat.says("boa tarde")
    chat.now += timedelta(seconds=3)
    second = chat.says("obrigada")
    assert chat.turns() == ["wamid.burst.1", first]
    chat.waits(3)
    assert chat.turns() == ["wamid.burst.1", first, second]


def test_a_cpf_at_the_document_prompt_is_never_merged(db: Database) -> None:
    chat = Chat(db)
    _greeted(chat)
    chat.put_at("client_area", "start")
    cpf = chat.says(CPF)
    assert chat.turns()[-1] == cpf  # answered at once, not held
    assert chat.held() is None
    chat.now += timedelta(seconds=0.5)
    after = chat.says("oi?")  # at the password prompt now: its own turn too
    assert chat.turns()[-2:] == [cpf, after]
    assert chat.held() is None


def test_order_and_exactly_once_hold_under_redelivery(db: Database) -> None:
    chat = Chat(db)
    _greeted(chat)
    first = chat.says("boa tarde")
    chat.now += timedelta(seconds=0.5)
    second = chat.says("meu site caiu")
    assert not chat.redelivers(first, "boa tarde")  # a duplicate while held
    chat.now += timedelta(seconds=0.5)
    tapped = chat.taps("menu", "Menu")  # a button after the texts: their turn comes first
    assert chat.turns() == ["wamid.burst.1", second, tapped]
    assert chat.held() is None
    assert not chat.redelivers(second, "meu site caiu")  # a duplicate after the turn
    chat.waits(5)  # the jobs of the held texts find nothing left to do
    assert chat.turns() == ["wamid.burst.1", second, tapped]
    assert [row["message_id"] for row in chat.inbox()] == ["wamid.burst.1", first, second, tapped]


def test_window_zero_is_every_text_its_own_turn_at_once(db: Database) -> None:
    chat = Chat(db, window=timedelta(0))
    ids = [chat.says(body) for body in ("oi", "boa tarde", "meu site caiu")]
    assert chat.turns() == ids
    assert chat.held() is None
    assert [typing for _, typing in chat.reads()] == [True, True, True]


@pytest.fixture
def quick_stack(stack_factory, sqlite_url: str) -> Stack:  # type: ignore[no-untyped-def]
    result: Stack = stack_factory(sqlite_url, burst_seconds=1.0)
    return result


def test_over_whatsapp_three_quick_texts_get_one_answer(quick_stack: Stack) -> None:
    """End to end: the webhook, the worker's job runner and the sender, at the default pace of
    a real process (the window at 1 s to keep the test short)."""
    maria = quick_stack.customer("5511944445555")
    maria.says("oi")  # first contact, answered after the window
    before = len(maria.replies())
    with httpx.Client() as client:
        for body in ("boa tarde", "meu site", "caiu desde ontem"):
            body_bytes = quick_stack.meta.text_body(maria.wa_id, body)
            assert quick_stack.meta.post(body_bytes, client=client).status_code == 200
    answer = maria.waits_for_reply()
    time.sleep(2.5)  # long enough for a second turn, if there were one
    assert len(maria.replies()) == before + len(answer)
