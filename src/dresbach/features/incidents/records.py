"""Incidents and who asked about them, in the database; what each step learns of them (the
open ones, `with_incidents`), and the store-backed adapter of the site checks' `Incidents`
port."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, delete, func, select, update

from dresbach.features.incidents.ahead import notices_of
from dresbach.features.incidents.model import NOTICE, Incident, IncidentAsked
from dresbach.features.sitecheck.results import OpenIncident
from dresbach.kernel.conversation import Conversation
from dresbach.platform.store.database import Database, iso, utc
from dresbach.platform.store.schema import incident_askers, incidents
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore


def _at(value: datetime | None) -> datetime:
    moment = utc(value)
    assert moment is not None
    return moment


def servers_of(text: str) -> tuple[str, ...]:
    """The servers kept one per line (empty: every server)."""
    return tuple(s for s in (line.strip() for line in text.splitlines()) if s)


def _incident(row: RowMapping) -> Incident:
    return Incident(
        incident_id=int(row["incident_id"]),
        title=row["title"],
        message=row["message"],
        servers=servers_of(row["servers"]),
        opened_at=_at(row["opened_at"]),
        opened_by=row["opened_by"],
        updated_at=_at(row["updated_at"]),
        updated_by=row["updated_by"],
        closed_at=utc(row["closed_at"]),
        closed_by=row["closed_by"],
    )


def insert(
    connection: Connection,
    *,
    title: str,
    message: str,
    servers: Sequence[str],
    by: str,
    now: datetime,
) -> Incident:
    result = connection.execute(
        incidents.insert().values(
            title=title,
            message=message,
            servers="\n".join(servers),
            opened_at=now,
            opened_by=by,
            updated_at=now,
            updated_by=by,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    found = get(connection, int(key[0]))
    assert found is not None
    return found


def get(connection: Connection, incident_id: int, *, lock: bool = False) -> Incident | None:
    """One incident; `lock`: its row locked for this transaction (two operators closing it at
    once tell each customer once)."""
    query = select(incidents).where(incidents.c.incident_id == incident_id)
    row = connection.execute(query.with_for_update() if lock else query).mappings().first()
    return _incident(row) if row is not None else None


def change(connection: Connection, incident_id: int, values: Mapping[str, Any]) -> Incident:
    connection.execute(
        update(incidents).where(incidents.c.incident_id == incident_id).values(**values)
    )
    found = get(connection, incident_id)
    assert found is not None
    return found


_OPEN = (
    select(incidents)
    .where(incidents.c.closed_at.is_(None))
    .order_by(incidents.c.updated_at.desc(), incidents.c.incident_id.desc())
)
"""Built once: it runs at every step (`with_incidents`)."""


def open_incidents(connection: Connection) -> tuple[Incident, ...]:
    """The incidents open now, the latest updated first."""
    return tuple(_incident(row) for row in connection.execute(_OPEN).mappings())


def latest(connection: Connection, limit: int = 20) -> tuple[Incident, ...]:
    """The open incidents, then the most recently closed, up to `limit`."""
    rows = connection.execute(
        select(incidents)
        .order_by(
            incidents.c.closed_at.is_not(None),
            incidents.c.updated_at.desc(),
            incidents.c.incident_id.desc(),
        )
        .limit(limit)
    ).mappings()
    return tuple(_incident(row) for row in rows)


def askers_count(connection: Connection, incident_id: int) -> int:
    count = connection.execute(
        select(func.count())
        .select_from(incident_askers)
        .where(incident_askers.c.incident_id == incident_id)
    ).scalar_one()
    return int(count)


def to_notify(connection: Connection, incident_id: int) -> list[tuple[int, str]]:
    """(row id, conversation key) of who asked and was not told of the closing yet."""
    rows = connection.execute(
        select(incident_askers.c.id, incident_askers.c.conversation_key)
        .where(
            incident_askers.c.incident_id == incident_id,
            incident_askers.c.notified_at.is_(None),
        )
        .order_by(incident_askers.c.id)
    ).all()
    return [(int(r[0]), str(r[1])) for r in rows]


def notified(connection: Connection, asker_id: int, now: datetime) -> None:
    connection.execute(
        update(incident_askers).where(incident_askers.c.id == asker_id).values(notified_at=now)
    )


def waiting(connection: Connection) -> tuple[int, int]:
    """How many incidents are open, and how many customers asked about them (not told yet)."""
    open_count = connection.execute(
        select(func.count()).select_from(incidents).where(incidents.c.closed_at.is_(None))
    ).scalar_one()
    asked = connection.execute(
        select(func.count())
        .select_from(
            incident_askers.join(
                incidents, incidents.c.incident_id == incident_askers.c.incident_id
            )
        )
        .where(incidents.c.closed_at.is_(None))
    ).scalar_one()
    return int(open_count), int(asked)


# ---- in every step ---------------------------------------------------------------------------


def with_incidents(
    connection: Connection, conversation: Conversation, _now: datetime
) -> Conversation:
    """The conversation with the incidents open now (`StepHooks.enrich`), from the records."""
    found = open_incidents(connection)
    if not found and NOTICE not in conversation.notices:
        return conversation
    notices = {**conversation.notices, **notices_of(found, conversation.key)}
    return replace(conversation, notices=notices)


def asked(
    connection: Connection, key: str, command: IncidentAsked, now: datetime, _sealer: Sealer | None
) -> None:
    """Who asked about each incident, once each (the first time is kept)."""
    for incident_id in command.incident_ids:
        insert_ignore(
            connection,
            incident_askers,
            {"incident_id": incident_id, "conversation_key": key, "asked_at": now},
            ("incident_id", "conversation_key"),
        )


# ---- personal data ---------------------------------------------------------------------------


def held(connection: Connection, key: str) -> Mapping[str, Any]:
    rows = connection.execute(
        select(incidents.c.title, incident_askers.c.asked_at, incident_askers.c.notified_at)
        .select_from(
            incident_askers.join(
                incidents, incidents.c.incident_id == incident_askers.c.incident_id
            )
        )
        .where(incident_askers.c.conversation_key == key)
        .order_by(incident_askers.c.asked_at)
    ).all()
    if not rows:
        return {}
    return {
        "incidentes_perguntados": [
            {"incidente": title, "perguntou_em": iso(asked_at), "avisado_em": iso(told)}
            for title, asked_at, told in rows
        ]
    }


def purge(engine: Engine, now: datetime, retention: Any) -> Mapping[str, int]:
    """Who asked about an incident closed longer ago than the inbox is kept."""
    closed_before = now - retention.inbox
    old = select(incidents.c.incident_id).where(incidents.c.closed_at < closed_before)
    with engine.begin() as connection:
        result = connection.execute(
            delete(incident_askers).where(incident_askers.c.incident_id.in_(old))
        )
    return {"incident_askers": result.rowcount or 0}


def erase(connection: Connection, key: str, _now: datetime) -> Mapping[str, int]:
    result = connection.execute(
        delete(incident_askers).where(incident_askers.c.conversation_key == key)
    )
    return {"incident_askers": result.rowcount or 0}


# ---- the site checks' port -------------------------------------------------------------------


class StoreIncidents:
    """The site checks' `Incidents` port, over our own records: the incident open on a server
    (or on every server), the latest updated first."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def _open_on(self, server: str | None) -> OpenIncident | None:
        with self._database.engine.connect() as connection:
            found = open_incidents(connection)
        for incident in found:
            if incident.affects(server):
                return OpenIncident(
                    incident_id=str(incident.incident_id),
                    title=incident.title,
                    message=incident.message,
                    updated_at=incident.updated_at,
                )
        return None

    async def open_incident(self, server: str | None) -> OpenIncident | None:
        return await self._database.run(self._open_on, server)
