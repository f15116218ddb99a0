"""The webhook stores, then answers; a worker steps: the inbox as a queue, on SQLite and
PostgreSQL (`platform/store/unit_of_work/arrivals.py`)."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import event, select

from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel.events import InboundEvent, Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound import arrival
from dresbach.platform.inbound import pipeline as pipeline_module
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import conversations, inbox, jobs, outbox
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import arrivals as arrivals_module
from dresbach.platform.store.unit_of_work import step_arrivals, store_arrivals
from dresbach.platform.whatsapp.parse import parse_webhook
from tests.conftest import _truncate

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SEALER = Sealer(b"\x07" * 32)
POLICY = Policy(flood_per_minute=0)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"
CPF = "529.982.247-25"


def user(n: int) -> Sender:
    return Sender(user_id=None, wa_id=f"55119000{n:05d}", profile_name="Cliente")


def says(sender: Sender, n: int, body: str) -> tuple[InboundEvent, dict[str, object]]:
    """What the user says, as the edge hands it on: the event and Meta's message object."""
    message_id = f"wamid.{sender.key}.{n}"
    raw = {"from": sender.wa_id, "id": message_id, "type": "text", "text": {"body": body}}
    return TextReceived(message_id=message_id, sender=sender, timestamp=NOW, body=body), raw


def rows(db: Database, table, *where):  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        query = select(table).where(*where).order_by(*table.primary_key.columns)
        return connection.execute(query).mappings().all()


def step_all(db: Database) -> int:
    stepped = 0
    while (done := step_arrivals(db.engine, NOW, POLICY, SEALER, STEP_HOOKS)).stepped:
        stepped += done.stepped
    return stepped


def test_every_fixture_message_waits_as_itself() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        for message in parse_webhook(orjson.loads(path.read_bytes())).messages:
            event, payload = arrival.decode(arrival.encode(message.event, message.payload))
            assert (event, payload) == (message.event, message.payload), path.name


def test_the_webhook_stores_once_and_the_worker_steps_once(db: Database) -> None:
    maria = user(1)
    first = [says(maria, 1, "oi")]
    assert store_arrivals(db.engine, first, NOW, SEALER) == [True]
    # Meta delivers it again, before and after the step: stored once, stepped once
    assert store_arrivals(db.engine, first, NOW, SEALER) == [False]
    (waiting,) = rows(db, inbox)
    assert waiting["to_step"] is not None
    assert waiting["place"] is None
    assert rows(db, outbox) == []  # the 200 left before any step
    assert step_all(db) == 1
    assert store_arrivals(db.engine, first, NOW, SEALER) == [False]
    assert step_all(db) == 0
    (stepped,) = rows(db, inbox)
    assert stepped["to_step"] is None
    assert stepped["place"] == "menu.main"
    assert [r["kind"] for r in rows(db, outbox)] == ["read", "message", "message"]
    (conversation,) = rows(db, conversations)
    assert conversation["version"] == 1


def test_what_the_user_typed_waits_sealed_and_is_kept_masked(db: Database) -> None:
    maria = user(2)
    store_arrivals(db.engine, [says(maria, 1, f"meu CPF é {CPF}")], NOW, SEALER)
    (waiting,) = rows(db, inbox)
    assert CPF not in waiting["to_step"]
    assert CPF not in waiting["payload"]
    assert "text" not in orjson.loads(waiting["payload"])  # Meta's fields only, meanwhile
    step_all(db)
    (kept,) = rows(db, inbox)
    assert kept["to_step"] is None
    assert CPF not in kept["payload"]
    assert "CPF" in orjson.loads(kept["payload"])["text"]["body"]


def test_each_conversation_is_stepped_in_the_order_it_wrote(db: Database) -> None:
    ana, bia = user(3), user(4)
    batch = [says(ana, 1, "oi"), says(bia, 1, "oi")]
    batch += [says(who, n, "menu") for n in range(2, 6) for who in (ana, bia)]
    assert all(store_arrivals(db.engine, batch, NOW, SEALER))
    assert step_all(db) == len(batch)
    for who in (ana, bia):
        kept = rows(db, inbox, inbox.c.conversation_key == who.key)
        assert [r["message_id"] for r in kept] == [f"wamid.{who.key}.{n}" for n in range(1, 6)]
        reads = [
            orjson.loads(r["payload"])["message_id"]
            for r in rows(db, outbox, outbox.c.conversation_key == who.key)
            if r["kind"] == "read"
        ]
        assert reads == [f"wamid.{who.key}.{n}" for n in range(1, 6)]


def test_a_message_that_fails_holds_its_conversation_then_is_given_up(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, bia = user(5), user(6)
    store_arrivals(db.engine, [says(ana, 1, "oi"), says(ana, 2, "menu")], NOW, SEALER)
    store_arrivals(db.engine, [says(bia, 1, "oi")], NOW, SEALER)
    real = arrivals_module.take_in_tx

    def breaks_on_ana_1(connection, event, *args, **kwargs):  # type: ignore[no-untyped-def]
        if event.message_id == f"wamid.{ana.key}.1":
            raise RuntimeError("a defect")
        return real(connection, event, *args, **kwargs)

    monkeypatch.setattr(arrivals_module, "take_in_tx", breaks_on_ana_1)
    step_arrivals(db.engine, NOW, POLICY, SEALER, STEP_HOOKS)
    # Bia is answered; Ana's second message waits behind her first, which waits to be tried again
    assert [r["to_step"] is None for r in rows(db, inbox)] == [False, False, True]
    for _ in range(arrivals_module.MAX_FAILURES - 1):
        step_arrivals(db.engine, NOW, POLICY, SEALER, STEP_HOOKS)
    step_all(db)  # what the last pass's time left
    first, second, _ = rows(db, inbox)
    assert first["to_step"] is None
    assert first["place"] is None
    assert "not stepped: RuntimeError" in first["defects"]
    assert second["to_step"] is None
    assert second["place"] is not None


def test_two_workers_step_each_conversation_once_and_in_order(database_url: str) -> None:
    migrate(database_url)
    workers = [Database(database_url), Database(database_url)]
    people = [user(100 + n) for n in range(12)]
    per_person = 6
    batch = [
        says(who, n, "oi" if n == 1 else "menu") for n in range(1, per_person + 1) for who in people
    ]
    store_arrivals(workers[0].engine, batch, NOW, SEALER)
    errors: list[BaseException] = []

    def work(db: Database) -> None:
        try:
            while True:
                done = step_arrivals(
                    db.engine, NOW, POLICY, SEALER, STEP_HOOKS, budget=0.001, limit=8
                )
                if not done.stepped and not rows(db, inbox, inbox.c.to_step.is_not(None)):
                    return
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(db,)) for db in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        for who in people:
            (conversation,) = rows(workers[0], conversations, conversations.c.key == who.key)
            assert conversation["version"] == per_person  # each message stepped once
            reads = [
                orjson.loads(r["payload"])["message_id"]
                for r in rows(workers[0], outbox, outbox.c.conversation_key == who.key)
                if r["kind"] == "read"
            ]
            assert reads == [f"wamid.{who.key}.{n}" for n in range(1, per_person + 1)]
    finally:
        for db in workers:
            db.close()


def test_on_postgresql_a_worker_elsewhere_is_woken_by_the_commit(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _truncate(postgres_database)
    monkeypatch.setattr(pipeline_module, "POLL", 60.0)  # no poll could step it in time
    web, worker = Database(postgres_database), Database(postgres_database)

    async def scenario() -> float:
        stepper = Pipeline(db=worker, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS)
        front = Pipeline(db=web, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS)
        stop, stepped = asyncio.Event(), asyncio.Event()
        stepper.on_enqueued = stepped.set
        running = asyncio.create_task(stepper.run(stop))
        await asyncio.sleep(1.0)  # listening, the inbox looked at once: nothing there
        started = time.monotonic()
        assert await front.receive([says(user(200), 1, "oi")], []) == [True]
        await asyncio.wait_for(stepped.wait(), timeout=10)
        stop.set()
        await running
        return time.monotonic() - started

    try:
        assert asyncio.run(scenario()) < 5
        (kept,) = rows(web, inbox)
        assert kept["place"] == "menu.main"
    finally:
        web.close()
        worker.close()


def test_a_burst_of_webhooks_shares_commits_and_each_200_follows_its_commit(
    sqlite_url: str,
) -> None:
    migrate(sqlite_url)
    db = Database(sqlite_url)
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _connection: commits.append(1))
    front = Pipeline(db=db, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS)

    def stored(message_id: str) -> bool:
        with db.engine.connect() as connection:
            query = select(inbox.c.id).where(inbox.c.message_id == message_id)
            return connection.execute(query).first() is not None

    async def webhook(n: int) -> bool:
        said = says(user(300 + n), 1, "oi")
        fresh = await front.receive([said], [])
        return fresh == [True] and stored(said[0].message_id)  # answered only once it is there

    async def burst() -> list[bool]:
        return await asyncio.gather(*(webhook(n) for n in range(50)))

    try:
        assert all(asyncio.run(burst()))
        assert len(rows(db, inbox)) == 50
        assert 0 < len(commits) < 50  # the burst shared commits
    finally:
        db.close()


def test_a_pass_gives_way_to_waiting_acknowledgements_after_the_message_at_hand(
    db: Database,
) -> None:
    """Three customers wrote; while a webhook waits to be stored, the worker steps one message,
    commits, and leaves the rest for its next pass."""
    said = [says(user(400 + n), 1, "oi") for n in range(3)]
    assert store_arrivals(db.engine, said, NOW, SEALER) == [True, True, True]

    done = step_arrivals(
        db.engine, NOW, POLICY, SEALER, STEP_HOOKS, budget=60, yield_to=lambda: True
    )

    assert (done.stepped, done.more) == (1, True)
    waiting = rows(db, inbox, inbox.c.to_step.is_not(None))
    assert [r["message_id"] for r in waiting] == [s[0].message_id for s in said[1:]]
    # nobody waiting any more: the next pass steps the rest
    done = step_arrivals(
        db.engine, NOW, POLICY, SEALER, STEP_HOOKS, budget=60, yield_to=lambda: False
    )
    assert (done.stepped, done.more) == (2, False)


def test_the_stepper_waits_while_webhooks_are_stored_but_never_starves(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst is acknowledged first: while an insert is being written the pipeline says so and
    the stepper waits for it to end; a burst that never ends holds the stepper `ACK_FIRST` at
    most."""
    migrate(sqlite_url)
    db = Database(sqlite_url)
    front = Pipeline(db=db, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS)
    seen_while_storing: list[bool] = []
    real_store = pipeline_module.store_arrivals

    def slow_store(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen_while_storing.append(front.acknowledging())  # read in the writer thread
        time.sleep(0.2)
        return real_store(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "store_arrivals", slow_store)
    monkeypatch.setattr(pipeline_module, "ACK_FIRST", 5.0)

    async def scenario() -> tuple[float, float, bool]:
        storing = asyncio.create_task(front.receive([says(user(500), 1, "oi")], []))
        await asyncio.sleep(0.02)
        started = time.monotonic()
        await front._acks_first()  # gives way until the insert is written
        waited = time.monotonic() - started
        assert storing.done()
        assert storing.result() == [True]
        # a burst that never eases: the stepper goes on after ACK_FIRST
        monkeypatch.setattr(pipeline_module, "ACK_FIRST", 0.3)
        endless: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        front._storing = endless  # type: ignore[assignment]
        front._stored.clear()
        started = time.monotonic()
        await front._acks_first()
        capped = time.monotonic() - started
        acknowledging = front.acknowledging()
        front._storing = None
        endless.cancel()
        return waited, capped, acknowledging

    try:
        waited, capped, acknowledging = asyncio.run(scenario())
        assert seen_while_storing == [True]
        assert 0.1 < waited < 4.0
        assert 0.25 < capped < 4.0
        assert acknowledging
        assert not front.acknowledging()
    finally:
        db.close()


def test_the_job_worker_is_woken_by_a_step_that_enqueued_a_job_and_by_no_other(
    db: Database,
) -> None:
    # Every stepped message used to wake it, and its claim of nothing cost the writer as much as
    # a send: a third of the stepping again at 200 msg/s.
    pipeline = Pipeline(db=db, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS)
    woken: list[str] = []
    pipeline.on_enqueued = lambda: woken.append("sender")
    pipeline.on_jobs = lambda: woken.append("jobs")

    async def the_user_says(sender: Sender, body: str) -> None:
        await pipeline.receive([says(sender, 1, body)], [])
        await pipeline.step_waiting()

    async def scenario() -> None:
        await the_user_says(user(400), "oi")  # the greeting and the menu: nothing for a job
        assert woken == ["sender"]
        await the_user_says(user(401), "quero falar com um atendente")  # the hand-off's job
        assert woken == ["sender", "sender", "jobs"]

    asyncio.run(scenario())
    (job,) = rows(db, jobs)
    assert job["kind"] == "handoff"
