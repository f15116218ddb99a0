"""Incidents in the database, on SQLite and PostgreSQL: opened, updated and closed by an
operator (audited), and the site checks' `Incidents` port answered from them."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dresbach.features.incidents import records
from dresbach.features.incidents import service as incidents
from dresbach.features.incidents.model import IncidentAsked
from dresbach.features.incidents.records import StoreIncidents
from dresbach.features.incidents.service import IncidentError
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import audit_log, conversations, incident_askers, outbox

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(database_url: str) -> Database:
    migrate(database_url)
    database = Database(database_url)
    yield database  # type: ignore[misc]
    database.close()


def test_the_port_answers_the_incident_open_on_a_server_or_on_every_server(db: Database) -> None:
    port = StoreIncidents(db)
    assert asyncio.run(port.open_incident("br1.dresbach.com.br")) is None

    br1 = incidents.open_incident(
        db.engine,
        title="Instabilidade no servidor br1",
        message="O servidor br1 está sem rede.",
        servers=["br1.dresbach.com.br, br3.dresbach.com.br"],
        by="ana",
        now=NOW,
    )
    assert br1.servers == ("br1.dresbach.com.br", "br3.dresbach.com.br")
    found = asyncio.run(port.open_incident("BR1.dresbach.com.br"))
    assert found is not None
    assert (found.incident_id, found.title, found.updated_at) == (
        str(br1.incident_id),
        br1.title,
        NOW,
    )
    assert asyncio.run(port.open_incident("br2.dresbach.com.br")) is None

    later = NOW + timedelta(minutes=20)
    everywhere = incidents.open_incident(
        db.engine, title="Falha no DNS", message="Os nomes não resolvem.", by="bia", now=later
    )
    on_br2 = asyncio.run(port.open_incident("br2.dresbach.com.br"))
    assert on_br2 is not None
    assert on_br2.incident_id == str(everywhere.incident_id)
    # the latest updated first, wherever both apply
    on_br1 = asyncio.run(port.open_incident("br1.dresbach.com.br"))
    assert on_br1 is not None
    assert on_br1.incident_id == str(everywhere.incident_id)

    incidents.update_incident(
        db.engine,
        br1.incident_id,
        message="Rede de volta; a validar.",
        by="ana",
        now=later + timedelta(minutes=5),
    )
    on_br1 = asyncio.run(port.open_incident("br1.dresbach.com.br"))
    assert on_br1 is not None
    assert on_br1.message == "Rede de volta; a validar."

    incidents.close_incident(
        db.engine, everywhere.incident_id, by="bia", now=later + timedelta(minutes=9)
    )
    assert asyncio.run(port.open_incident("br2.dresbach.com.br")) is None
    with db.engine.connect() as connection:
        actions = connection.execute(select(audit_log.c.action, audit_log.c.who)).all()
    assert [tuple(a) for a in actions] == [
        ("incident_opened", "ana"),
        ("incident_opened", "bia"),
        ("incident_updated", "ana"),
        ("incident_closed", "bia"),
    ]


def test_a_closed_or_unknown_incident_and_an_empty_message_are_refused(db: Database) -> None:
    with pytest.raises(IncidentError, match="título"):
        incidents.open_incident(db.engine, title=" ", message="x", by="ana", now=NOW)
    opened = incidents.open_incident(
        db.engine, title="Lentidão", message="Lento.", by="ana", now=NOW
    )
    with pytest.raises(IncidentError, match="mensagem"):
        incidents.update_incident(db.engine, opened.incident_id, message="  ", by="ana", now=NOW)
    incidents.close_incident(db.engine, opened.incident_id, by="ana", now=NOW)
    with pytest.raises(IncidentError, match="já foi encerrado"):
        incidents.close_incident(db.engine, opened.incident_id, by="ana", now=NOW)
    with pytest.raises(IncidentError, match="não encontrado"):
        incidents.update_incident(db.engine, 999, message="x", by="ana", now=NOW)


def test_who_asked_is_kept_once_erased_on_request_and_purged_after_the_inbox(db: Database) -> None:
    opened = incidents.open_incident(
        db.engine, title="Lentidão", message="Lento.", by="ana", now=NOW
    )
    asked = IncidentAsked(command_id="c1", incident_ids=(opened.incident_id,))
    with db.engine.begin() as connection:
        records.asked(connection, "5511987654321", asked, NOW, None)
        records.asked(connection, "5511987654321", asked, NOW + timedelta(minutes=1), None)
        records.asked(connection, "5511911112222", asked, NOW, None)
        held = records.held(connection, "5511987654321")
    assert [r["incidente"] for r in held["incidentes_perguntados"]] == ["Lentidão"]
    with db.engine.begin() as connection:
        assert records.erase(connection, "5511987654321", NOW) == {"incident_askers": 1}

    class Retention:
        inbox = timedelta(days=180)

    incidents.close_incident(db.engine, opened.incident_id, by="ana", now=NOW)
    assert records.purge(db.engine, NOW + timedelta(days=179), Retention()) == {
        "incident_askers": 0
    }
    assert records.purge(db.engine, NOW + timedelta(days=181), Retention()) == {
        "incident_askers": 1
    }
    with db.engine.connect() as connection:
        assert connection.execute(select(incident_askers)).all() == []


def test_two_operators_closing_at_once_tell_each_customer_once(db: Database) -> None:
    opened = incidents.open_incident(
        db.engine, title="Lentidão", message="Lento.", by="ana", now=NOW
    )
    with db.engine.begin() as connection:
        for key in ("5511911110001", "5511911110002"):
            connection.execute(
                conversations.insert().values(
                    key=key,
                    address=key,
                    flow="menu",
                    state="main",
                    slots="{}",
                    trail="[]",
                    last_inbound_at=NOW,
                    outbox_seq=3,
                    version=1,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
            asked = IncidentAsked(command_id=key, incident_ids=(opened.incident_id,))
            records.asked(connection, key, asked, NOW, None)

    def close(by: str) -> str:
        try:
            closed = incidents.close_incident(db.engine, opened.incident_id, by=by, now=NOW)
        except IncidentError as refused:
            return str(refused)
        return f"told {closed.told}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(close, ("ana", "bia")))
    assert results[0] == f"O incidente {opened.incident_id} já foi encerrado."
    assert results[1] == "told 2"
    with db.engine.connect() as connection:
        sent = connection.execute(
            select(outbox.c.conversation_key, outbox.c.seq).order_by(outbox.c.conversation_key)
        ).all()
    assert [tuple(row) for row in sent] == [("5511911110001", 4), ("5511911110002", 4)]


def test_the_gauges_count_the_open_incidents_and_who_asked_about_them(db: Database) -> None:
    first = incidents.open_incident(
        db.engine, title="Lentidão", message="Lento.", by="ana", now=NOW
    )
    incidents.open_incident(db.engine, title="DNS", message="Sem DNS.", by="ana", now=NOW)
    with db.engine.begin() as connection:
        for key in ("5511911110001", "5511911110002"):
            asked = IncidentAsked(command_id=key, incident_ids=(first.incident_id,))
            records.asked(connection, key, asked, NOW, None)
        assert records.waiting(connection) == (2, 2)
    incidents.close_incident(db.engine, first.incident_id, by="ana", now=NOW)
    with db.engine.connect() as connection:
        assert records.waiting(connection) == (1, 0)
