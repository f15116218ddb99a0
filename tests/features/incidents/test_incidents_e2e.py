"""The done-when of #15's incidents, over real HTTP: an operator opens an incident from the
command line against the bot's database, three customers write "meu site caiu" and each reads it
first, and its closing tells all three once (the one whose window closed, by the template)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, func, select, update

from dresbach.platform.store.database import normalize_url
from dresbach.platform.store.schema import conversations, handoffs, incident_askers, jobs
from tests.support.cli import Ran, run_dresbach
from tests.support.environments import sandbox_env
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

ANA, BRUNO, CARLA = "5511900000001", "5511900000002", "5511900000003"


def dresbach(url: str, *args: str) -> Ran:
    return run_dresbach(args, sandbox_env(url))


def test_an_incident_opened_from_the_cli_is_read_first_and_its_closing_told_to_all_three(
    stack: Stack, database_url: str
) -> None:
    opened = dresbach(
        database_url,
        "incidents",
        "open",
        "--title",
        "Instabilidade no servidor br1",
        "--message",
        "O servidor br1 está sem acesso à rede. A previsão de retorno é de uma hora.",
        "--servers",
        "br1.dresbach.com.br",
    )
    assert opened.returncode == 0, opened.stderr
    found = re.search(r"Incidente (\d+) aberto", opened.stdout)
    assert found is not None, opened.stdout
    incident_id = found.group(1)

    customers = {wa_id: stack.customer(wa_id) for wa_id in (ANA, BRUNO, CARLA)}
    for customer in customers.values():
        customer.says("oi")
        replies = customer.says("meu site caiu")
        # the incident first, and nothing else: no login asked, no ticket, no hand-off
        assert len(replies) == 1, replies
        said = text_of(replies[0])
        assert said.startswith(
            "⚠️ Estamos cientes de uma instabilidade: *Instabilidade no servidor br1*"
        )
        assert "sem acesso à rede" in said
        assert "Última atualização: " in said
        assert "CPF" not in said

    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as connection:
            assert (
                connection.execute(select(func.count()).select_from(incident_askers)).scalar_one()
                == 3
            )
            assert connection.execute(select(func.count()).select_from(handoffs)).scalar_one() == 0
            kinds = connection.execute(select(jobs.c.kind)).scalars().all()
            assert "open_ticket" not in kinds
            # Carla asked more than 24 h before the closing: her window is closed
            connection.execute(
                update(conversations)
                .where(conversations.c.address == CARLA)
                .values(last_inbound_at=datetime.now(UTC) - timedelta(hours=25))
            )
    finally:
        engine.dispose()
    stack.graph.outside_window.add(CARLA)  # Meta refuses anything but a template to her

    listed = dresbach(database_url, "incidents", "list")
    assert "Instabilidade no servidor br1" in listed.stdout
    assert "3 perguntaram" in listed.stdout

    closed = dresbach(database_url, "incidents", "close", incident_id)
    assert closed.returncode == 0, closed.stderr
    assert "3 cliente(s) avisado(s)" in closed.stdout

    for wa_id in (ANA, BRUNO):
        told = customers[wa_id].waits_for_reply()
        assert [m["type"] for m in told] == ["text"]
        assert text_of(told[0]).startswith("✅ Resolvido: *Instabilidade no servidor br1*")
    told = customers[CARLA].waits_for_reply()
    assert [m["type"] for m in told] == ["template"]
    assert told[0]["template"]["name"] == "incidente_resolvido"
    params = told[0]["template"]["components"][0]["parameters"]
    assert [p["text"] for p in params] == ["Instabilidade no servidor br1"]

    # once: closing again is refused, and nobody hears of it twice
    again = dresbach(database_url, "incidents", "close", incident_id)
    assert again.returncode == 1
    assert "já foi encerrado" in again.stderr
    for wa_id, customer in customers.items():
        assert len(customer.replies()) == customer.seen, wa_id

    # with the incident closed, "meu site caiu" leads to the Área do Cliente again
    after = customers[ANA].says("meu site caiu")
    assert "Instabilidade" not in " ".join(text_of(m) for m in after)
