"""The background work of a process: the outbox sender, the heartbeat, the WAL checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from dresbach.runtime.database import Database, utc
from dresbach.runtime.jobs import JobRunner
from dresbach.runtime.schema import worker_heartbeats
from dresbach.runtime.sender import OutboxSender
from dresbach.runtime.sql import insert_ignore

log = logging.getLogger(__name__)

HEARTBEAT = 5.0
STALE = timedelta(seconds=30)


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


def workers_alive(engine: Engine, now: datetime) -> bool:
    """Whether any worker beat recently (for /readyz when workers run elsewhere)."""
    with engine.connect() as connection:
        rows = connection.execute(select(worker_heartbeats.c.beat_at)).scalars().all()
    return any(now - utc(b) < STALE for b in rows if b is not None)  # type: ignore[operator]


class Workers:
    def __init__(
        self,
        db: Database,
        sender: OutboxSender,
        *,
        jobs: JobRunner | None = None,
        sweep: Callable[[], Awaitable[None]] | None = None,
        sweep_every: float = 15.0,
    ) -> None:
        self.db, self.sender, self.jobs = db, sender, jobs
        self.sweep, self.sweep_every = sweep, sweep_every
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._beaten = 0.0
        """`time.monotonic()` of the last heartbeat written (or of the start)."""

    @property
    def alive(self) -> bool:
        """Every task still running, and the heartbeat written within `STALE` (a worker that
        cannot reach the database is not healthy, even if its tasks keep retrying)."""
        fresh = time.monotonic() - self._beaten < STALE.total_seconds()
        return bool(self._tasks) and fresh and all(not t.done() for t in self._tasks)

    def start(self) -> None:
        self._stop.clear()
        self._beaten = time.monotonic()
        self._tasks = [
            asyncio.create_task(self.sender.run(self._stop), name="outbox-sender"),
            asyncio.create_task(self._heartbeat(), name="heartbeat"),
            asyncio.create_task(self._checkpoint(), name="wal-checkpoint"),
        ]
        if self.jobs is not None:
            self._tasks.append(asyncio.create_task(self.jobs.run(self._stop), name="jobs"))
        if self.sweep is not None:
            self._tasks.append(asyncio.create_task(self._sweeper(), name="timers"))

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), timeout=5.0)
            task.cancel()
        self._tasks = []

    async def _heartbeat(self) -> None:
        while not self._stop.is_set():
            try:
                await self.db.run(beat, self.db.engine, self.name, datetime.now(UTC))
                self._beaten = time.monotonic()
            except Exception:
                log.exception("heartbeat failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=HEARTBEAT)

    async def _sweeper(self) -> None:
        """Timers: payment reminders, expiry, reconciliation of charges whose webhook was lost."""
        assert self.sweep is not None
        while not self._stop.is_set():
            try:
                await self.sweep()
            except Exception:
                log.exception("timer sweep failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.sweep_every)

    async def _checkpoint(self) -> None:
        if not self.db.is_sqlite:
            return
        while not self._stop.is_set():
            try:
                await self.db.checkpoint_in_background()
            except Exception:
                log.exception("WAL checkpoint failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=1.0)
