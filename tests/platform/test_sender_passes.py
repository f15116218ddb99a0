"""The sender's passes: a pass that sent all there was is recorded by the next pass's claim, not
by a pass of its own, unless no claim comes within `settle_every`; on SQLite and PostgreSQL.

Each pass is one transaction that records what the last one sent and claims what is due
(`outbox.cycle`). The sender used to run a second pass right after every pass that sent
something, only to record it: under a steady trickle of messages, that was every other commit
of the outbox, and a third of the writer's time on SQLite. Now the record waits for the next
claim (the next message's wake-up), for `settle_every` (50 ms, as a long pass records as it
goes: what a killed worker leaves unrecorded stays that short), or for the stop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.outbound import sender as sender_module
from dresbach.platform.outbound.sender import OutboxSender
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import outbox
from dresbach.platform.store.unit_of_work import take_in
from dresbach.platform.whatsapp.client import CloudApiClient
from tests.fakes.graph_api import FakeGraphServer
from tests.support.meta import ACCESS_TOKEN, PHONE_NUMBER_ID


def the_user_says_oi(db: Database, n: int) -> None:
    """One inbound text from a new user: a read receipt and two replies queued, due now (the
    sender runs on the real clock)."""
    now = datetime.now(UTC)
    who = Sender(user_id=f"BR.30{n}", wa_id=f"551192222000{n}", profile_name="Ana")
    event = TextReceived(message_id=f"wamid.in.{n}", sender=who, timestamp=now, body="oi")
    take_in(db.engine, event, {}, now, Policy())


def statuses(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.execute(select(outbox.c.status).order_by(outbox.c.id)).scalars())


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_a_pass_that_sent_all_there_was_is_recorded_by_the_next_claim(
    db: Database, graph: FakeGraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes: list[int] = []
    real_cycle = sender_module.cycle

    def counted(*args: Any, **kwargs: Any) -> Any:
        passes.append(len(args[1]))  # how many results this pass records
        return real_cycle(*args, **kwargs)

    monkeypatch.setattr(sender_module, "cycle", counted)

    def sent() -> int:
        return len(graph.app_state.requests)

    async def scenario() -> None:
        client = CloudApiClient(
            base_url=graph.base_url, phone_number_id=PHONE_NUMBER_ID, access_token=ACCESS_TOKEN
        )
        sender = OutboxSender(
            db, client, rate=1000, recipient_rate=1000, recipient_burst=100, settle_every=30.0
        )
        stop = asyncio.Event()
        running = asyncio.create_task(sender.run(stop, poll=30.0))  # no poll in this test
        await until(lambda: len(passes) == 1)  # its first look: nothing due
        try:
            the_user_says_oi(db, 1)
            sender.wake()
            await until(lambda: sent() == 3)
            await asyncio.sleep(0.3)
            # one pass claimed and sent the three; none ran just to record them
            assert len(passes) == 2
            assert statuses(db) == ["pending"] * 3

            the_user_says_oi(db, 2)  # the next message's pass records them as it claims
            sender.wake()
            await until(lambda: sent() == 6)
            assert passes[2] == 3
            assert len(passes) == 3
            assert statuses(db) == ["sent"] * 3 + ["pending"] * 3
        finally:
            stop.set()
            await running  # the stop records the rest
            await client.aclose()

    asyncio.run(scenario())
    assert statuses(db) == ["sent"] * 6
    assert sent() == 6  # each sent once


def test_with_no_claim_to_ride_on_the_sends_are_recorded_within_settle_every(
    db: Database, graph: FakeGraphServer
) -> None:
    async def scenario() -> float:
        client = CloudApiClient(
            base_url=graph.base_url, phone_number_id=PHONE_NUMBER_ID, access_token=ACCESS_TOKEN
        )
        sender = OutboxSender(db, client, rate=1000, recipient_rate=1000, recipient_burst=100)
        stop = asyncio.Event()
        running = asyncio.create_task(sender.run(stop, poll=30.0))  # no poll in this test
        try:
            the_user_says_oi(db, 3)
            sender.wake()
            await until(lambda: len(graph.app_state.requests) == 3)
            sent_at = time.monotonic()
            await until(lambda: statuses(db) == ["sent"] * 3, within=5.0)
            return time.monotonic() - sent_at
        finally:
            stop.set()
            await running
            await client.aclose()

    assert asyncio.run(scenario()) < 1.0  # settle_every is 50 ms; the poll (30 s) never came
