"""Worker heartbeats: each worker process writes its own row every few seconds, so any process
can tell how many workers are alive (readiness, metrics, and each worker's share of the
number's send rate)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import worker_heartbeats
from dresbach.platform.store.sql import insert_ignore

HEARTBEAT = 5.0
"""Seconds between two beats of one worker."""
STALE = timedelta(seconds=30)
"""A worker whose last beat is older than this is taken for dead."""


def beat(engine: Engine, name: str, now: datetime) -> None:
    with engine.begin() as connection:
        if not insert_ignore(
            connection, worker_heartbeats, {"name": name, "beat_at": now}, ["name"]
        ):
            connection.execute(
                worker_heartbeats.update()
                .where(worker_heartbeats.c.name == name)
                .values(beat_at=now)
            )


def alive_workers(engine: Engine, now: datetime) -> int:
    """How many workers beat within `STALE`."""
    with engine.connect() as connection:
        rows = connection.execute(select(worker_heartbeats.c.beat_at)).scalars().all()
    fresh = [b for b in rows if b is not None and now - utc(b) < STALE]  # type: ignore[operator]
    return len(fresh)


def workers_alive(engine: Engine, now: datetime) -> bool:
    """Whether any worker beat recently (for /readyz when workers run elsewhere)."""
    return alive_workers(engine, now) > 0
