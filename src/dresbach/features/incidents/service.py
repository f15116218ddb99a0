"""Operators open, update and close incidents (the console and `dresbach incidents`), each
move audited; the closing tells each who asked, once: a text inside the 24 h customer-service
window, the approved template after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select, update

from dresbach.features.incidents import records
from dresbach.features.incidents.model import MESSAGE_MAX, TITLE_MAX, Incident
from dresbach.features.incidents.texts import ERRORS, RESOLVED, TEXTS
from dresbach.kernel import codec
from dresbach.kernel.messages import Message, Text
from dresbach.platform.observe import audit
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import conversations, outbox

WINDOW = timedelta(hours=24)
"""Meta's customer-service window: after it, only an approved template may go."""


class IncidentError(ValueError):
    """A change refused; the message (pt-BR) says why, for the operator."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Closed:
    incident: Incident
    told: int
    """How many who asked were told now (a text or the template)."""


def _title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned or len(cleaned) > TITLE_MAX:
        raise IncidentError(ERRORS["title"])
    return cleaned


def _message(message: str) -> str:
    cleaned = message.strip()
    if not cleaned or len(cleaned) > MESSAGE_MAX:
        raise IncidentError(ERRORS["message"])
    return cleaned


def _servers(servers: Sequence[str]) -> tuple[str, ...]:
    found = (s.strip() for item in servers for s in item.replace(",", " ").split())
    return tuple(dict.fromkeys(s for s in found if s))


def _still_open(connection: Connection, incident_id: int) -> Incident:
    found = records.get(connection, incident_id, lock=True)
    if found is None:
        raise IncidentError(ERRORS["unknown"].format(incident_id=incident_id))
    if not found.is_open:
        raise IncidentError(ERRORS["closed"].format(incident_id=incident_id))
    return found


def open_incident(
    engine: Engine,
    *,
    title: str,
    message: str,
    servers: Sequence[str] = (),
    by: str,
    now: datetime,
) -> Incident:
    with engine.begin() as connection:
        opened = records.insert(
            connection,
            title=_title(title),
            message=_message(message),
            servers=_servers(servers),
            by=by,
            now=now,
        )
        where = ", ".join(opened.servers) or "todos os servidores"
        audit.record(
            connection,
            who=by,
            action="incident_opened",
            now=now,
            detail=f"incidente {opened.incident_id} ({where}): {opened.title}",
            mask=False,
        )
    return opened


def update_incident(
    engine: Engine,
    incident_id: int,
    *,
    message: str,
    title: str | None = None,
    servers: Sequence[str] | None = None,
    by: str,
    now: datetime,
) -> Incident:
    """A new message (and, if given, a new title or servers): what customers read from now."""
    with engine.begin() as connection:
        _still_open(connection, incident_id)
        values: dict[str, Any] = {
            "message": _message(message),
            "updated_at": now,
            "updated_by": by,
        }
        if title is not None:
            values["title"] = _title(title)
        if servers is not None:
            values["servers"] = "\n".join(_servers(servers))
        changed = records.change(connection, incident_id, values)
        audit.record(
            connection,
            who=by,
            action="incident_updated",
            now=now,
            detail=f"incidente {incident_id}: {changed.title}",
            mask=False,
        )
    return changed


def close_incident(engine: Engine, incident_id: int, *, by: str, now: datetime) -> Closed:
    """Close it and tell each who asked, in the same transaction: once, whatever retries."""
    with engine.begin() as connection:
        _still_open(connection, incident_id)
        closed = records.change(
            connection,
            incident_id,
            {"closed_at": now, "closed_by": by, "updated_at": now, "updated_by": by},
        )
        told = 0
        for asker_id, key in records.to_notify(connection, incident_id):
            told += _tell(connection, key, closed, now)
            records.notified(connection, asker_id, now)
        audit.record(
            connection,
            who=by,
            action="incident_closed",
            now=now,
            detail=f"incidente {incident_id}: {closed.title}; {told} avisado(s)",
            mask=False,
        )
    return Closed(incident=closed, told=told)


def resolved_message(
    incident: Incident, last_inbound_at: datetime | None, now: datetime
) -> Message:
    """The closing as this customer may receive it now."""
    template = RESOLVED.message(" ".join(incident.title.split()))
    if last_inbound_at is None or now - last_inbound_at > WINDOW:
        return template
    return Text(body=TEXTS["resolved"].format(title=incident.title), fallback=template)


def _tell(connection: Connection, key: str, incident: Incident, now: datetime) -> int:
    """The closing, at the end of this customer's queue (the conversation row locked, its
    outbox sequence moved on, as a step would)."""
    row = (
        connection.execute(
            select(
                conversations.c.address, conversations.c.outbox_seq, conversations.c.last_inbound_at
            )
            .where(conversations.c.key == key)
            .with_for_update()
        )
        .mappings()
        .first()
    )
    if row is None or not row["address"]:  # erased since it asked
        return 0
    message = resolved_message(incident, utc(row["last_inbound_at"]), now)
    fallback = message.fallback if isinstance(message, Text) else None
    seq = int(row["outbox_seq"]) + 1
    connection.execute(
        outbox.insert().values(
            conversation_key=key,
            seq=seq,
            recipient=row["address"],
            kind="message",
            payload=orjson.dumps(codec.encode(message)).decode(),
            fallback=orjson.dumps(codec.encode(fallback)).decode() if fallback else None,
            callback_data=f"incident:{incident.incident_id}:resolved",
            status="pending",
            attempts=0,
            next_attempt_at=now,
            delivery_rank=0,
            created_at=now,
        )
    )
    connection.execute(
        update(conversations).where(conversations.c.key == key).values(outbox_seq=seq)
    )
    return 1


def latest(engine: Engine, limit: int = 20) -> list[tuple[Incident, int]]:
    """The open incidents then the latest closed, each with how many asked about it."""
    with engine.connect() as connection:
        found = records.latest(connection, limit)
        return [(i, records.askers_count(connection, i.incident_id)) for i in found]
