"""Operators close an incident from the console and from `dresbach incidents` at once. On
SQLite and PostgreSQL: of eight closing the same open incident together (each on its own
connection, released together), one closes it and tells each customer who asked, the seven
others are told it is already closed, and no customer hears of it twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import select

from dresbach.features.incidents import records
from dresbach.features.incidents import service as incidents
from dresbach.features.incidents.model import IncidentAsked
from dresbach.features.incidents.service import Closed, IncidentError
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import audit_log, conversations, incident_askers, outbox
from dresbach.platform.store.schema import incidents as incident_rows
from tests.support.at_once import at_once, warm

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
OPERATORS = ("ana", "bia", "caio", "duda", "edu", "fabi", "gil", "hugo")
MARIA = "5511911110001"  # wrote an hour ago: told by text
JOAO = "5511911110002"  # wrote two days ago: told by the approved template
ANA = "5511911110003"  # wrote a minute ago
SEQ = 3
"""Where each customer's queue stands before the closing."""


def customer(db: Database, key: str, last_inbound_at: datetime, *incident_ids: int) -> None:
    """A customer with a conversation, who asked about these incidents."""
    with db.engine.begin() as connection:
        connection.execute(
            conversations.insert().values(
                key=key,
                address=key,
                flow="menu",
                state="main",
                slots="{}",
                trail="[]",
                last_inbound_at=last_inbound_at,
                outbox_seq=SEQ,
                version=1,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        asked = IncidentAsked(command_id=key, incident_ids=incident_ids)
        records.asked(connection, key, asked, last_inbound_at, None)


def test_eight_operators_closing_at_once_close_it_once_and_tell_each_customer_once(
    db: Database,
) -> None:
    """Maria, João and Ana asked about the slowness; Ana also asked about the DNS, which stays
    open. Eight operators press "encerrar" on the slowness together: one of them closes it and
    the three are told, each once, at the end of their own queue; the seven others read that
    it was already closed. The DNS incident and its askers are untouched."""
    slow = incidents.open_incident(
        db.engine, title="Lentidão no br1", message="Lento.", by="ana", now=NOW
    )
    dns = incidents.open_incident(
        db.engine, title="Falha no DNS", message="Sem DNS.", by="ana", now=NOW
    )
    customer(db, MARIA, NOW - timedelta(hours=1), slow.incident_id)
    customer(db, JOAO, NOW - timedelta(days=2), slow.incident_id)
    customer(db, ANA, NOW - timedelta(minutes=1), slow.incident_id, dns.incident_id)
    closing = NOW + timedelta(minutes=30)
    warm(db.engine, len(OPERATORS))

    outcomes = at_once(
        len(OPERATORS),
        lambda i: incidents.close_incident(
            db.engine, slow.incident_id, by=OPERATORS[i], now=closing
        ),
    )

    closed = [o for o in outcomes if isinstance(o, Closed)]
    refused = [str(o) for o in outcomes if isinstance(o, IncidentError)]
    assert len(closed) == 1, outcomes
    assert refused == [f"O incidente {slow.incident_id} já foi encerrado."] * 7, outcomes
    (winner,) = closed
    closer = OPERATORS[outcomes.index(winner)]
    assert winner.told == 3
    assert (winner.incident.closed_at, winner.incident.closed_by) == (closing, closer)

    with db.engine.connect() as connection:
        sent = connection.execute(
            select(
                outbox.c.conversation_key, outbox.c.seq, outbox.c.callback_data, outbox.c.payload
            ).order_by(outbox.c.conversation_key)
        ).all()
        queues = dict(
            connection.execute(select(conversations.c.key, conversations.c.outbox_seq)).all()
        )
        told = connection.execute(
            select(
                incident_askers.c.incident_id,
                incident_askers.c.conversation_key,
                incident_askers.c.notified_at,
            ).order_by(incident_askers.c.incident_id, incident_askers.c.conversation_key)
        ).all()
        audited = connection.execute(
            select(audit_log.c.who).where(audit_log.c.action == "incident_closed")
        ).all()
        states = dict(
            connection.execute(select(incident_rows.c.incident_id, incident_rows.c.closed_by)).all()
        )

    resolved = f"incident:{slow.incident_id}:resolved"
    assert [(key, seq, data) for key, seq, data, _ in sent] == [
        (MARIA, SEQ + 1, resolved),
        (JOAO, SEQ + 1, resolved),
        (ANA, SEQ + 1, resolved),
    ]
    kinds = {key: orjson.loads(payload)["t"] for key, _, _, payload in sent}
    assert kinds == {MARIA: "text", JOAO: "template", ANA: "text"}
    assert queues == {MARIA: SEQ + 1, JOAO: SEQ + 1, ANA: SEQ + 1}
    assert [(i, key, at is not None) for i, key, at in told] == [
        (slow.incident_id, MARIA, True),
        (slow.incident_id, JOAO, True),
        (slow.incident_id, ANA, True),
        (dns.incident_id, ANA, False),
    ]
    assert [tuple(row) for row in audited] == [(closer,)]
    assert states == {slow.incident_id: closer, dns.incident_id: None}
