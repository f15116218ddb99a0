"""The hand-off runtime on SQLite and PostgreSQL: one hand-off per request, the queue and its
positions, on-duty operators notified by template, take / reply / hand back / close with their
audit trail, customers nobody answered (counted from opening time), and the history an operator
reads. The flows are not asserted here: only what reaches the tables."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from dresbach.features.handoff.model import EndHandOff, ForwardToHuman, RequestCallback
from dresbach.features.handoff.service import HandOffError, HandOffService
from dresbach.features.operators.service import add_operator, set_duty
from dresbach.features.scheduling.bookings import NewBooking, insert_booking
from dresbach.features.scheduling.model import Slot
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel.commands import Command, RequestHandOff
from dresbach.kernel.events import Sender, StatusReported, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.outbound.outbox import Result, cycle, settle
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import (
    audit_log,
    handoffs,
    inbox,
    jobs,
    leads,
    outbox,
    payments,
    teams,
)
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import record_statuses
from dresbach.platform.work.effects import apply_commands
from dresbach.platform.work.jobs import Job, JobRunner

SEALER = Sealer.from_text("66" * 32)


WEDNESDAY_10H = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 10:00 in São Paulo
FRIDAY_20H = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # 20:00 in São Paulo, closed
MONDAY_9H = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # opening time
POLICY = Policy(handoff_wait=timedelta(minutes=15))
MARIA, JOAO, LIA = "5511955550001", "5511955550002", "5511955550003"
PASSWORD = "senha-bem-longa-1"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Desk:
    """The runtime and what it needs, with the job worker that runs the hand-off jobs."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock
        self.pipeline = Pipeline(db=db, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS, clock=clock)
        self.service = HandOffService(db, self.pipeline, POLICY, None, clock=clock)
        self.jobs = JobRunner(
            db,
            {
                "handoff": self.service.open,
                "forward_to_human": self.service.forward,
                "end_handoff": self.service.end,
                "request_callback": self.service.callback,
            },
            clock=clock,
        )
        self._ids = 0

    def says(self, key: str, body: str, name: str | None = "Maria Souza") -> None:
        """The customer writes on WhatsApp (the webhook's unit of work)."""
        self._ids += 1
        mid = f"wamid.{key}.{self._ids}"
        event = TextReceived(
            message_id=mid,
            sender=Sender(user_id=None, wa_id=key, profile_name=name),
            timestamp=self.clock(),
            body=body,
        )
        raw = {"from": key, "id": mid, "type": "text", "text": {"body": body}}
        asyncio.run(self.pipeline.take_in(event, raw))

    def core_asks(self, key: str, *commands: Command) -> None:
        """The conversation core gave these commands (they become jobs), then the worker runs."""
        with self.db.engine.begin() as connection:
            apply_commands(connection, key, list(commands), self.clock())
        asyncio.run(self.jobs.drain())

    def rows(self, table: Any, *where: Any) -> list[dict[str, Any]]:
        with self.db.engine.connect() as connection:
            query = select(table).where(*where).order_by(table.c.id)
            return [dict(r) for r in connection.execute(query).mappings()]

    def events(self, key: str, kind: str | None = None) -> list[dict[str, Any]]:
        where = [inbox.c.conversation_key == key]
        if kind is not None:
            where.append(inbox.c.kind == kind)
        return [
            {"kind": r["kind"], "id": r["message_id"], **orjson.loads(r["payload"])}
            for r in self.rows(inbox, *where)
            if kind is not None or r["kind"] not in ("text",)
        ]

    def handoff(self, key: str) -> dict[str, Any]:
        (row,) = self.rows(handoffs, handoffs.c.conversation_key == key)
        return row


def ask_human(command_id: str, **fields: Any) -> RequestHandOff:
    return RequestHandOff(
        command_id=command_id, reason=fields.pop("reason", "customer"), flow="menu", **fields
    )


def seeded(db: Database) -> None:
    """The teams the `*_desk_teams` migration seeds (the PostgreSQL half truncates every table
    between tests: the seed is put back as the migration wrote it)."""
    versions = importlib.import_module("dresbach.platform.store.migrations.versions")
    (name,) = (
        m.name for m in pkgutil.iter_modules(versions.__path__) if m.name.endswith("_desk_teams")
    )
    module = importlib.import_module(f"{versions.__name__}.{name}")
    with db.engine.begin() as connection:
        if connection.execute(select(teams.c.id)).first() is None:
            for slug, name, topics in module.SEED:
                connection.execute(
                    teams.insert().values(
                        slug=slug, name=name, topics=topics, auto_assign=0, created_at=WEDNESDAY_10H
                    )
                )


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    migrate(database_url)
    db = Database(database_url)
    seeded(db)
    yield Desk(db, Clock(WEDNESDAY_10H))
    db.close()


def test_one_hand_off_however_often_it_is_asked_for(desk: Desk) -> None:
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    desk.core_asks(MARIA, ask_human("wamid.2:handoff"))  # "atendente" again
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))  # the same command delivered twice
    job = Job(
        id=99,
        command_id="wamid.1:handoff",
        kind="handoff",
        conversation_key=MARIA,
        payload=asdict(ask_human("wamid.1:handoff")),
        attempts=0,
    )
    asyncio.run(desk.service.open(job))  # the same job run twice

    assert len(desk.rows(handoffs)) == 1
    row = desk.handoff(MARIA)
    assert (row["status"], row["request_id"], row["reason"]) == (
        "waiting",
        "wamid.1:handoff",
        "customer",
    )
    queued = desk.events(MARIA, "handoff_queued")
    assert [e["id"] for e in queued] == ["wamid.1:handoff:queued", "wamid.2:handoff:queued"]
    assert {e["handoff_id"] for e in queued} == {str(row["id"])}
    assert [j["status"] for j in desk.rows(jobs)] == ["done", "done"]


def test_queue_positions_follow_the_order_of_the_requests(desk: Desk) -> None:
    for n, (key, name) in enumerate([(MARIA, "Maria Souza"), (JOAO, "João"), (LIA, None)]):
        desk.says(key, "oi", name=name)
        desk.core_asks(key, ask_human(f"wamid.{n}:handoff"))
        desk.clock.advance(minutes=1)

    positions = [desk.events(k, "handoff_queued")[0]["position"] for k in (MARIA, JOAO, LIA)]
    assert positions == ["1", "2", "3"]
    first = desk.events(MARIA, "handoff_queued")[0]
    assert (first["open_now"], first["opens_at"]) == ("True", "2026-11-25 10:00:00-03:00")

    queue = asyncio.run(desk.service.queue())
    assert [(q.customer, q.position, q.status) for q in queue] == [
        ("Maria Souza", 1, "waiting"),
        ("João", 2, "waiting"),
        ("5511*****0003", 3, "waiting"),  # no profile name: the number, masked
    ]
    assert queue[0].waiting == timedelta(minutes=3)
    assert queue[0].window_open
    assert queue[0].reason_text == "pediu para falar com um atendente"

    add_operator(desk.db.engine, "ana", "Ana Lima", PASSWORD, None, desk.clock(), by="admin")
    asyncio.run(desk.service.take(queue[0].handoff_id, "ana"))
    after = asyncio.run(desk.service.queue())
    assert [(q.customer, q.position, q.status, q.taken_by) for q in after] == [
        ("João", 1, "waiting", None),
        ("5511*****0003", 2, "waiting", None),
        ("Maria Souza", None, "active", "ana"),
    ]


def booked_for(desk: Desk, key: str, booking_id: str, start: datetime) -> None:
    """A meeting booked for `key` (the row the scheduling runtime inserts)."""
    slot = Slot(start=start, end=start + timedelta(hours=1))
    new = NewBooking(
        booking_id=booking_id,
        conversation_key=key,
        lead_id=f"lead-{key}",
        slot=slot,
        name="Cliente",
        email="cliente@example.com.br",
        calendar="internal",
        replaces=None,
    )
    assert insert_booking(desk.db.engine, new, timedelta(minutes=15), desk.clock())


def test_meetings_booked_for_later_are_not_counted_ahead_of_who_waits_now(desk: Desk) -> None:
    next_week = WEDNESDAY_10H + timedelta(days=7)
    for n, key in enumerate(("5511955550011", "5511955550012", "5511955550013")):
        # three customers paid and booked a meeting next week: their consultant hand-offs wait
        desk.says(key, "oi", name=f"Cliente {n}")
        booked_for(desk, key, f"bk-{n}", next_week + timedelta(hours=2 * n))
        desk.core_asks(
            key, ask_human(f"wamid.{key}:consultant", reason="consultant", booking_id=f"bk-{n}")
        )
        desk.clock.advance(minutes=1)
    desk.says(JOAO, "oi", name="João")  # paid, no free slot: a consultant must call him now
    desk.core_asks(JOAO, ask_human("wamid.joao:no_slots", reason="consultant"))
    desk.clock.advance(minutes=1)

    # Maria and Lia ask about their meeting: Consultoria's queue, where the meetings wait too
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.maria:handoff", topic="meeting"))
    [queued] = desk.events(MARIA, "handoff_queued")
    assert queued["position"] == "2"  # only João waits ahead of her, not next week's meetings

    queue = asyncio.run(desk.service.queue())
    assert [(q.customer, q.position) for q in queue] == [
        ("João", 1),
        ("Maria Souza", 2),
        ("Cliente 0", None),
        ("Cliente 1", None),
        ("Cliente 2", None),
    ]

    # when a meeting's time comes, its hand-off is in line (from when it was opened)
    desk.clock.now = next_week + timedelta(minutes=5)
    desk.says(LIA, "oi", name="Lia")
    desk.core_asks(LIA, ask_human("wamid.lia:handoff", topic="meeting"))
    [queued] = desk.events(LIA, "handoff_queued")
    assert queued["position"] == "4"  # Cliente 0's meeting, João and Maria are ahead


def test_the_context_carries_the_lead_the_payment_and_the_booking(desk: Desk) -> None:
    desk.says(MARIA, "oi")
    now = desk.clock()
    with desk.db.engine.begin() as connection:
        connection.execute(
            leads.insert().values(
                lead_id="lead-1",
                conversation_key=MARIA,
                status="scheduled",
                answers=orjson.dumps(
                    {"area": "security", "size": "10-49", "cnpj": "11.222.333/0001-81"}
                ).decode(),
                created_at=now,
                updated_at=now,
            )
        )
        connection.execute(
            payments.insert().values(
                txid="DRB" + "a" * 29,
                provider="static",
                provider_id="DRB" + "a" * 29,
                conversation_key=MARIA,
                lead_id="lead-1",
                amount="1800.00",
                copia_e_cola="000201...",
                status="paid",
                created_at=now - timedelta(hours=2),
                expires_at=now - timedelta(hours=1),
                paid_at=now - timedelta(hours=1, minutes=30),
            )
        )
    desk.core_asks(MARIA, ask_human("wamid.1:consultant", reason="consultant", lead_id="lead-1"))

    (item,) = asyncio.run(desk.service.queue())
    context = item.context
    assert context["lead"]["answers"]["area"] == "security"
    assert context["lead"]["answers"]["cnpj"] == "**.***.***/0001-**"  # never in clear
    assert (context["payment"]["amount"], context["payment"]["status"]) == ("1800.00", "paid")
    assert item.summary == (
        "Motivo: diagnóstico pago e reunião agendada",
        "Fluxo: Menu principal",
        "Assunto: reuniões de consultoria",  # why: it goes to Consultoria
        "Área: Segurança da informação",
        "Porte da empresa: De 10 a 49 pessoas",
        "CNPJ: **.***.***/0001-**",
        f"Pagamento: R$ 1.800,00, paga (txid DRB{'a' * 29}), pago em 25/11/2026, às 8h30",
    )
    assert "11.222.333" not in desk.handoff(MARIA)["context"]


def test_on_duty_operators_with_a_phone_get_a_template(desk: Desk) -> None:
    engine, now = desk.db.engine, desk.clock()
    add_operator(engine, "ana", "Ana Lima", PASSWORD, "+5511988880001", now, by="admin")
    add_operator(engine, "bruno", "Bruno Reis", PASSWORD, None, now, by="admin")  # no phone
    add_operator(engine, "carla", "Carla Dias", PASSWORD, "+5511988880003", now, by="admin")
    set_duty(engine, "carla", False, now, by="admin")  # off duty

    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    desk.core_asks(MARIA, ask_human("wamid.2:handoff"))  # asked again: nobody notified twice
    desk.says(LIA, "oi", name=None)
    desk.core_asks(LIA, ask_human("wamid.3:handoff"))

    notices = desk.rows(outbox, outbox.c.callback_data.like("handoff:%:notify"))
    assert [(n["recipient"], n["kind"]) for n in notices] == [
        ("5511988880001", "message"),
        ("5511988880001", "message"),
    ]
    assert [orjson.loads(n["payload"]) for n in notices] == [
        {
            "t": "template",
            "name": "atendimento_aguardando",
            "language": "pt_BR",
            "params": ["Maria Souza", "pediu para falar com um atendente"],
        },
        {
            "t": "template",
            "name": "atendimento_aguardando",
            "language": "pt_BR",
            "params": ["5511*****0003", "pediu para falar com um atendente"],
        },
    ]


def test_take_reply_hand_back_and_close_are_told_and_audited(desk: Desk) -> None:
    engine, now = desk.db.engine, desk.clock()
    add_operator(engine, "ana", "Ana Lima", PASSWORD, None, now, by="admin")
    add_operator(engine, "bruno", "Bruno Reis", PASSWORD, None, now, by="admin")
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    handoff_id = desk.handoff(MARIA)["id"]
    service = desk.service

    with pytest.raises(HandOffError, match="Assuma o atendimento"):
        asyncio.run(service.reply(handoff_id, "ana", "Olá!"))
    asyncio.run(service.take(handoff_id, "ana"))
    with pytest.raises(HandOffError, match="já está com ana"):
        asyncio.run(service.take(handoff_id, "bruno"))
    with pytest.raises(HandOffError, match="só quem assumiu pode responder"):
        asyncio.run(service.reply(handoff_id, "bruno", "Posso ajudar?"))
    with pytest.raises(HandOffError, match="Escreva a mensagem"):
        asyncio.run(service.reply(handoff_id, "ana", "   "))
    with pytest.raises(HandOffError, match="até 4096"):
        asyncio.run(service.reply(handoff_id, "ana", "a" * 4097))
    desk.clock.advance(seconds=30)
    asyncio.run(service.reply(handoff_id, "ana", "Olá, Maria! Sou a Ana."))
    asyncio.run(service.reply(handoff_id, "ana", "Olá, Maria! Sou a Ana."))  # sent twice: twice
    with pytest.raises(HandOffError, match="só quem assumiu pode encerrá-lo"):
        asyncio.run(service.hand_back(handoff_id, "bruno"))
    asyncio.run(service.hand_back(handoff_id, "ana"))
    with pytest.raises(HandOffError, match="já foi encerrado"):
        asyncio.run(service.take(handoff_id, "bruno"))

    told = [
        (e["kind"], e.get("operator"), e.get("body"), e.get("closed")) for e in desk.events(MARIA)
    ]
    assert told[1:] == [
        ("human_joined", "Ana Lima", None, None),
        ("operator_said", "Ana Lima", "Olá, Maria! Sou a Ana.", None),
        ("operator_said", "Ana Lima", "Olá, Maria! Sou a Ana.", None),
        ("human_left", "Ana Lima", None, "False"),
    ]
    assert told[0][0] == "handoff_queued"
    row = desk.handoff(MARIA)
    assert (row["status"], row["taken_by"], row["ended_by"], row["end_reason"]) == (
        "returned",
        "ana",
        "ana",
        "handed_back",
    )

    desk.core_asks(MARIA, ask_human("wamid.9:handoff"))  # later, a new request: a new hand-off
    second = desk.rows(handoffs, handoffs.c.status == "waiting")[0]["id"]
    asyncio.run(service.close(second, "bruno"))  # closing a waiting one needs no take
    assert desk.events(MARIA, "human_left")[-1]["closed"] == "True"

    trail = [
        (a["who"], a["action"], a["detail"])
        for a in desk.rows(audit_log, audit_log.c.action.like("handoff_%"))
    ]
    assert trail == [
        ("ana", "handoff_taken", f"atendimento {handoff_id} (5511*****0001)"),
        ("ana", "handoff_reply", f"atendimento {handoff_id} (5511*****0001)"),
        ("ana", "handoff_reply", f"atendimento {handoff_id} (5511*****0001)"),
        ("ana", "handoff_returned", f"atendimento {handoff_id} (5511*****0001)"),
        ("bruno", "handoff_closed", f"atendimento {second} (5511*****0001)"),
    ]


def test_the_customer_side_jobs_mark_the_hand_off(desk: Desk) -> None:
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    desk.clock.advance(minutes=2)
    desk.core_asks(MARIA, ForwardToHuman(command_id="wamid.2:forward", text="Alguém aí?"))
    desk.core_asks(MARIA, RequestCallback(command_id="wamid.3:callback"))
    row = desk.handoff(MARIA)
    assert row["last_customer_at"] is not None
    assert row["callback_requested_at"] is not None
    desk.core_asks(MARIA, EndHandOff(command_id="wamid.4:end", reason="customer_left"))
    row = desk.handoff(MARIA)
    assert (row["status"], row["ended_by"], row["end_reason"]) == (
        "returned",
        "customer",
        "customer_left",
    )
    assert asyncio.run(desk.service.queue()) == []


def test_nobody_answered_in_time_is_told_once(desk: Desk) -> None:
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    for minutes in (14, 1, 30):  # 10:14, 10:15, 10:45
        desk.clock.advance(minutes=minutes)
        asyncio.run(desk.service.sweep())
        if minutes == 14:
            assert desk.events(MARIA, "handoff_unanswered") == []
    assert [e["id"] for e in desk.events(MARIA, "handoff_unanswered")] == [
        f"handoff:{desk.handoff(MARIA)['id']}:unanswered"
    ]
    assert desk.handoff(MARIA)["unanswered_at"] is not None


def test_outside_support_hours_the_wait_counts_from_the_opening(desk: Desk) -> None:
    desk.clock.now = FRIDAY_20H
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    queued = desk.events(MARIA, "handoff_queued")[0]
    assert (queued["open_now"], queued["opens_at"]) == ("False", "2026-11-30 09:00:00-03:00")

    for moment in (
        FRIDAY_20H + timedelta(hours=1),
        datetime(2026, 11, 28, 15, 0, tzinfo=UTC),  # Saturday
        MONDAY_9H + timedelta(minutes=14),
    ):
        desk.clock.now = moment
        asyncio.run(desk.service.sweep())
    assert desk.events(MARIA, "handoff_unanswered") == []
    desk.clock.now = MONDAY_9H + timedelta(minutes=15)
    asyncio.run(desk.service.sweep())
    asyncio.run(desk.service.sweep())
    assert len(desk.events(MARIA, "handoff_unanswered")) == 1


def test_history_lists_both_directions_in_order_with_delivery_status(desk: Desk) -> None:
    add_operator(desk.db.engine, "ana", "Ana Lima", PASSWORD, None, desk.clock(), by="admin")
    desk.says(MARIA, "oi")
    # The sender sends the bot's answers; WhatsApp reports them delivered, then read.
    runs = cycle(desk.db.engine, [], desk.clock(), 50)
    claimed = [row for run in runs for row in run if row.kind == "message"]
    assert claimed
    settle(
        desk.db.engine,
        [Result(id=row.id, sent=True, wamid=f"wamid.out.{row.id}") for row in claimed],
        desk.clock(),
    )
    record_statuses(
        desk.db.engine,
        [
            StatusReported(
                wamid=f"wamid.out.{claimed[0].id}",
                status="read",
                timestamp=desk.clock(),
                recipient=MARIA,
            )
        ],
    )
    desk.clock.advance(minutes=1)
    desk.core_asks(MARIA, ask_human("wamid.1:handoff"))
    handoff_id = desk.handoff(MARIA)["id"]
    desk.clock.advance(minutes=1)
    asyncio.run(desk.service.take(handoff_id, "ana"))
    desk.clock.advance(minutes=1)
    asyncio.run(desk.service.reply(handoff_id, "ana", "Olá, Maria! Em que posso ajudar?"))
    desk.clock.advance(minutes=1)
    desk.says(MARIA, "Meu site caiu")

    history = asyncio.run(desk.service.history(handoff_id=handoff_id))
    assert history.profile_name == "Maria Souza"
    assert history.window_open
    entries = [(e.direction, e.author, e.text, e.status) for e in history.entries]
    assert entries[0] == ("in", "cliente", "oi", None)
    bot = [e for e in entries[1:] if e[1] == "assistente"]
    assert bot
    assert bot[0][3] == "read"
    assert all(e[3] in ("sent", "pending", "read") for e in bot)
    later = [e for e in entries if e[1] != "assistente"]
    assert later == [
        ("in", "cliente", "oi", None),
        ("event", "sistema", "Entrou na fila de atendimento (posição 1).", None),
        ("event", "sistema", "Ana Lima assumiu o atendimento.", None),
        ("out", "Ana Lima", "Olá, Maria! Em que posso ajudar?", later[3][3]),
        ("in", "cliente", "Meu site caiu", None),
    ]
    assert [e.at for e in history.entries] == sorted(e.at for e in history.entries)
    same = asyncio.run(desk.service.history(conversation_key=MARIA))
    assert same.entries == history.entries
    with pytest.raises(HandOffError, match="não encontrado"):
        asyncio.run(desk.service.history(handoff_id=9999))
