"""A hand-off passed on, on SQLite and PostgreSQL: to a colleague (the customer hears who
joined), to a team (its queue, where the customer hears the new place; or its member on duty),
with a note kept sealed for whoever takes it next, and every pass in the audit log."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from dresbach.features.handoff.personal_data import erase, held
from dresbach.features.handoff.service import HandOffError
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import audit_log, handoff_transfers
from tests.features.handoff.test_handoff_runtime import (
    MARIA,
    SEALER,
    WEDNESDAY_10H,
    Clock,
    Desk,
    seeded,
)
from tests.features.handoff.test_teams_routing import asks, staff, team_setup

NOTE = "Cliente quer parcelar a fatura de novembro; já confirmei o e-mail."


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    migrate(database_url)
    db = Database(database_url)
    seeded(db)
    yield Desk(db, Clock(WEDNESDAY_10H))
    db.close()


def taken_by_ana(desk: Desk) -> int:
    staff(desk, "ana", "bia", "caio")
    asks(desk, MARIA, 1, "support")
    handoff_id = int(desk.handoff(MARIA)["id"])
    asyncio.run(desk.service.take(handoff_id, "ana"))
    return handoff_id


def test_passed_to_a_colleague_who_has_it_at_once_and_the_customer_is_told(desk: Desk) -> None:
    handoff_id = taken_by_ana(desk)

    asyncio.run(
        desk.service.transfer(handoff_id, "ana", to_operator="bia", to_team=None, note=NOTE)
    )

    row = desk.handoff(MARIA)
    assert (row["status"], row["taken_by"]) == ("active", "bia")
    joined = [e["operator"] for e in desk.events(MARIA, "human_joined")]
    assert joined == ["Ana", "Bia"]  # the customer hears Bia joined, after Ana
    (passed,) = asyncio.run(desk.service.transfers(handoff_id))
    assert (passed.by, passed.to, passed.note) == ("Ana", "Bia", NOTE)
    # the note is sealed at rest, and the audit log says who passed it, never what it says
    (stored,) = desk.rows(handoff_transfers)
    assert stored["note"] != NOTE
    assert SEALER.open(stored["note"]) == NOTE
    (audited,) = desk.rows(audit_log, audit_log.c.action == "handoff_transferred")
    assert audited["who"] == "ana"
    assert "para atendente bia com nota" in audited["detail"]
    assert "parcelar" not in audited["detail"]
    assert [a["who"] for a in desk.rows(audit_log, audit_log.c.action == "handoff_received")] == [
        "bia"
    ]
    # only who has it may pass it on: ana no longer does
    with pytest.raises(HandOffError, match="só quem assumiu pode transferi-lo"):
        asyncio.run(
            desk.service.transfer(handoff_id, "ana", to_operator="caio", to_team=None, note="")
        )
    # a team lead may
    asyncio.run(
        desk.service.transfer(
            handoff_id, "caio", to_operator="ana", to_team=None, note="", any_operator=True
        )
    )
    assert desk.handoff(MARIA)["taken_by"] == "ana"
    assert [e["operator"] for e in desk.events(MARIA, "human_joined")] == ["Ana", "Bia", "Ana"]


def test_passed_to_a_team_it_waits_in_that_teams_queue(desk: Desk) -> None:
    handoff_id = taken_by_ana(desk)

    asyncio.run(
        desk.service.transfer(handoff_id, "ana", to_operator=None, to_team="financeiro", note=NOTE)
    )

    row = desk.handoff(MARIA)
    assert (row["status"], row["taken_by"], row["team"]) == ("waiting", None, "financeiro")
    (item,) = asyncio.run(desk.service.queue())
    assert (item.team_name, item.position) == ("Financeiro", 1)
    # whoever takes it next is a new person joining, told to the customer
    asyncio.run(desk.service.take(handoff_id, "caio"))
    assert [e["operator"] for e in desk.events(MARIA, "human_joined")] == ["Ana", "Caio"]
    (passed,) = asyncio.run(desk.service.transfers(handoff_id))
    assert (passed.to, passed.note) == ("Financeiro", NOTE)


def test_passed_to_a_team_that_assigns_it_goes_to_its_member_on_duty(desk: Desk) -> None:
    handoff_id = taken_by_ana(desk)
    team_setup(desk, "financeiro", ["bia"], auto_assign=True)

    asyncio.run(
        desk.service.transfer(handoff_id, "ana", to_operator=None, to_team="financeiro", note="")
    )

    row = desk.handoff(MARIA)
    assert (row["status"], row["taken_by"], row["team"]) == ("active", "bia", "financeiro")
    assert (
        "sem nota"
        not in desk.rows(audit_log, audit_log.c.action == "handoff_transferred")[0]["detail"]
    )


@pytest.mark.parametrize(
    ("to_operator", "to_team", "note", "error"),
    [
        (None, None, "", "Escolha um colega ou uma equipe"),
        ("bia", "financeiro", "", "Escolha um colega ou uma equipe"),
        ("ninguem", None, "", "Colega não encontrado"),
        (None, "nenhuma", "", "Equipe não encontrada"),
        ("ana", None, "", "já está com esse colega"),
        ("bia", None, "x" * 1001, "o limite é 1000"),
    ],
)
def test_a_transfer_that_cannot_be_done_says_why_and_changes_nothing(
    desk: Desk, to_operator: str | None, to_team: str | None, note: str, error: str
) -> None:
    handoff_id = taken_by_ana(desk)
    with pytest.raises(HandOffError, match=error):
        asyncio.run(
            desk.service.transfer(
                handoff_id, "ana", to_operator=to_operator, to_team=to_team, note=note
            )
        )
    assert desk.rows(handoff_transfers) == []
    assert desk.handoff(MARIA)["taken_by"] == "ana"


def test_the_customers_copy_names_the_passes_and_the_erasure_empties_the_notes(
    desk: Desk,
) -> None:
    handoff_id = taken_by_ana(desk)
    asyncio.run(
        desk.service.transfer(handoff_id, "ana", to_operator=None, to_team="financeiro", note=NOTE)
    )

    with desk.db.engine.begin() as connection:
        copy = held(connection, MARIA)
    (passed,) = copy["transferencias_de_atendimento"]
    assert (passed["para_equipe"], passed["com_nota_interna"]) == ("financeiro", True)
    assert NOTE not in str(copy)

    with desk.db.engine.begin() as connection:
        counted = erase(connection, MARIA, desk.clock())
    assert counted["handoff_transfer_notes"] == 1
    assert [row["note"] for row in desk.rows(handoff_transfers)] == [None]
    assert asyncio.run(desk.service.transfers(handoff_id))[0].note == ""
