"""Teams: each hand-off goes to a team by why the person was asked for, the place a customer
hears is within that team's queue, and a team that assigns gives a new hand-off at once to its
least busy member on duty. On SQLite and PostgreSQL; the topic itself is read from the
conversation by the pure flow (the transcripts at the end)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest

from dresbach.features.handoff.flow.topics import topic_of
from dresbach.features.handoff.teams import roster
from dresbach.features.operators.service import add_operator, set_duty
from dresbach.kernel.commands import RequestHandOff
from dresbach.kernel.conversation import Place
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import audit_log, handoffs, outbox
from tests.features.handoff.test_handoff_runtime import (
    JOAO,
    LIA,
    MARIA,
    PASSWORD,
    WEDNESDAY_10H,
    Clock,
    Desk,
    ask_human,
    seeded,
)
from tests.support.client_area_transcript import ClientAreaTranscript


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    migrate(database_url)
    db = Database(database_url)
    seeded(db)
    yield Desk(db, Clock(WEDNESDAY_10H))
    db.close()


def staff(desk: Desk, *names: str, phone: bool = False) -> None:
    for n, name in enumerate(names):
        number = f"+551198888000{n}" if phone else None
        add_operator(desk.db.engine, name, name.title(), PASSWORD, number, desk.clock(), by="admin")


def team_setup(desk: Desk, slug: str, members: list[str], *, auto_assign: bool) -> None:
    team = {t.slug: t for t in roster.all_teams(desk.db.engine)}[slug]
    roster.save_team(
        desk.db.engine,
        "admin",
        desk.clock(),
        slug=slug,
        name=team.name,
        topics=list(team.topics),
        auto_assign=auto_assign,
        hours=team.hours or "",
        members=members,
        create=False,
    )


def asks(desk: Desk, key: str, n: int, topic: str | None, name: str = "Maria Souza") -> None:
    desk.says(key, "oi", name=name)
    desk.core_asks(key, ask_human(f"wamid.{n}:handoff", topic=topic))
    desk.clock.advance(minutes=1)


def test_the_migration_seeds_the_four_teams(sqlite_url: str) -> None:
    migrate(sqlite_url)
    db = Database(sqlite_url)
    found = [(t.slug, t.name, t.topics, t.auto_assign) for t in roster.all_teams(db.engine)]
    db.close()
    assert found == [
        ("comercial", "Comercial", ("sales",), False),
        ("consultoria", "Consultoria", ("meeting",), False),
        ("financeiro", "Financeiro", ("billing",), False),
        ("suporte", "Suporte técnico", ("support", "privacy"), False),
    ]


def test_each_hand_off_goes_to_its_team_and_the_place_in_line_is_within_it(desk: Desk) -> None:
    asks(desk, MARIA, 1, "billing")
    asks(desk, JOAO, 2, "support", name="João")
    asks(desk, LIA, 3, "billing", name="Lia")

    assert [desk.handoff(k)["team"] for k in (MARIA, JOAO, LIA)] == [
        "financeiro",
        "suporte",
        "financeiro",
    ]
    # what each customer heard: João is first at Suporte, though two asked before him
    positions = [desk.events(k, "handoff_queued")[0]["position"] for k in (MARIA, JOAO, LIA)]
    assert positions == ["1", "1", "2"]

    queue = asyncio.run(desk.service.queue())
    assert [(q.customer, q.team_name, q.position) for q in queue] == [
        ("Maria Souza", "Financeiro", 1),
        ("João", "Suporte técnico", 1),
        ("Lia", "Financeiro", 2),
    ]


def test_a_consultants_case_goes_to_consultoria_and_is_a_meeting_not_a_wait(desk: Desk) -> None:
    desk.says(MARIA, "oi")
    desk.core_asks(MARIA, ask_human("wamid.1:handoff", reason="consultant"))
    assert desk.handoff(MARIA)["team"] == "consultoria"
    (item,) = asyncio.run(desk.service.queue())
    assert item.meeting


def test_a_team_that_assigns_gives_the_hand_off_to_its_least_busy_member_on_duty(
    desk: Desk,
) -> None:
    staff(desk, "ana", "bia", "caio", "dora", phone=True)
    team_setup(desk, "financeiro", ["ana", "bia", "caio"], auto_assign=True)
    set_duty(desk.db.engine, "caio", False, desk.clock(), by="admin")  # off duty: never chosen

    asks(desk, MARIA, 1, "billing")
    asks(desk, JOAO, 2, "billing", name="João")
    asks(desk, LIA, 3, "billing", name="Lia")

    taken = [(desk.handoff(k)["status"], desk.handoff(k)["taken_by"]) for k in (MARIA, JOAO, LIA)]
    # ana and bia each had none, then one: ana (by name), bia, then ana again
    assert taken == [("active", "ana"), ("active", "bia"), ("active", "ana")]
    # the customer hears who joined, not a place in line
    assert desk.events(MARIA, "handoff_queued") == []
    (joined,) = desk.events(MARIA, "human_joined")
    assert joined["operator"] == "Ana"
    assigned = desk.rows(audit_log, audit_log.c.action == "handoff_assigned")
    assert [a["who"] for a in assigned] == ["ana", "bia", "ana"]
    # each is paged on WhatsApp for the one given to them, nobody else
    notices = desk.rows(outbox, outbox.c.callback_data.like("handoff:%:notify"))
    assert [n["recipient"] for n in notices] == ["5511988880000", "5511988880001", "5511988880000"]


def test_with_nobody_on_duty_the_hand_off_waits_in_the_teams_queue(desk: Desk) -> None:
    staff(desk, "ana", "bia", phone=True)
    team_setup(desk, "financeiro", ["ana"], auto_assign=True)
    set_duty(desk.db.engine, "ana", False, desk.clock(), by="admin")

    asks(desk, MARIA, 1, "billing")

    assert (desk.handoff(MARIA)["status"], desk.handoff(MARIA)["taken_by"]) == ("waiting", None)
    assert desk.events(MARIA, "handoff_queued")[0]["position"] == "1"
    # ana is Financeiro's only member and is off duty: bia (another team) is not paged
    assert desk.rows(outbox, outbox.c.callback_data.like("handoff:%:notify")) == []


def test_a_team_assigns_only_within_its_own_hours(desk: Desk) -> None:
    staff(desk, "ana")
    team = {t.slug: t for t in roster.all_teams(desk.db.engine)}["financeiro"]
    roster.save_team(
        desk.db.engine,
        "admin",
        desk.clock(),
        slug="financeiro",
        name=team.name,
        topics=list(team.topics),
        auto_assign=True,
        hours="seg-sex 13:00-18:00",  # it is 10:00 in São Paulo
        members=["ana"],
        create=False,
    )
    asks(desk, MARIA, 1, "billing")
    assert desk.handoff(MARIA)["status"] == "waiting"
    desk.clock.advance(hours=4)
    asks(desk, JOAO, 2, "billing", name="João")
    assert desk.handoff(JOAO)["taken_by"] == "ana"


def test_a_request_from_an_older_runtime_without_a_topic_goes_to_support(desk: Desk) -> None:
    desk.says(MARIA, "oi")
    desk.core_asks(
        MARIA, RequestHandOff(command_id="wamid.1:handoff", reason="customer", flow="menu")
    )
    assert desk.rows(handoffs)[0]["team"] == "suporte"
    assert desk.clock() - WEDNESDAY_10H < timedelta(minutes=1)


# ---- why a person was asked for, read from the conversation (pure) ---------------------------


def test_the_user_asks_about_an_invoice_then_for_a_person_and_it_is_billing() -> None:
    chat = ClientAreaTranscript()
    chat.says("oi")
    chat.says("quero falar sobre minha fatura")
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    (request,) = chat.of(RequestHandOff)
    assert request.topic == "billing"


def test_the_user_asks_for_a_person_from_the_menu_and_it_is_support() -> None:
    chat = ClientAreaTranscript()
    chat.says("oi")
    chat.says("atendente")
    (request,) = chat.of(RequestHandOff)
    assert request.topic == "support"


@pytest.mark.parametrize(
    ("reason", "flow", "state", "slots", "topic"),
    [
        ("customer", "client_area", "invoice", {}, "billing"),
        ("customer", "client_area", "tickets", {}, "support"),
        ("customer", "techops", "company", {}, "sales"),
        ("customer", "techops", "awaiting_payment", {}, "billing"),
        ("customer", "techops", "choosing_slot", {}, "meeting"),
        ("customer", "privacy", "erase_confirm", {}, "privacy"),
        ("customer", "menu", "main", {}, "support"),
        ("consultant", "techops", "paid", {}, "meeting"),
    ],
)
def test_the_topic_follows_where_the_conversation_stood(
    reason: str, flow: str, state: str, slots: dict[str, object], topic: str
) -> None:
    assert topic_of(reason, Place(flow=flow, state=state), slots) == topic
