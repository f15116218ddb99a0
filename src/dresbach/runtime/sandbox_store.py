"""The sandbox sink: what would have gone to Meta, kept for the simulator and `dresbach chat`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine, select

from dresbach.runtime.schema import sandbox_messages


def record(engine: Engine, recipient: str, body: dict[str, Any], wamid: str, now: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            sandbox_messages.insert().values(
                recipient=recipient,
                payload=orjson.dumps(body).decode(),
                wamid=wamid,
                created_at=now,
            )
        )


def messages_for(engine: Engine, recipient: str, after_id: int = 0) -> list[dict[str, Any]]:
    """Graph API request bodies sent to `recipient`, oldest first, with their sink id."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(sandbox_messages.c.id, sandbox_messages.c.payload)
            .where(sandbox_messages.c.recipient == recipient, sandbox_messages.c.id > after_id)
            .order_by(sandbox_messages.c.id)
        ).all()
    return [{"id": row.id, "body": orjson.loads(row.payload)} for row in rows]
