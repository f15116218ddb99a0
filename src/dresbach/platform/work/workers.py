"""The background work of a process: the stepper of the inbox, the outbox sender, the jobs, the
timers, the heartbeat, the WAL checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime

from dresbach.platform.outbound.sender import OutboxSender
from dresbach.platform.store.database import Database
from dresbach.platform.work.heartbeats import HEARTBEAT, STALE, alive_workers, beat, workers_alive
from dresbach.platform.work.jobs import JobRunner

__all__ = ["HEARTBEAT", "STALE", "Workers", "beat", "workers_alive"]

log = logging.getLogger(__name__)


class Workers:
    def __init__(
        self,
        db: Database,
        sender: OutboxSender,
        *,
        jobs: JobRunner | None = None,
        sweep: Callable[[], Awaitable[None]] | None = None,
        sweep_every: float = 15.0,
        step: Callable[[asyncio.Event], Coroutine[None, None, None]] | None = None,
    ) -> None:
        """`step`: the stepper of the messages the webhook stored (`Pipeline.run`)."""
        self.db, self.sender, self.jobs, self.step = db, sender, jobs, step
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
        ]
        if self.db.is_sqlite:  # PostgreSQL has no WAL of ours to checkpoint: no task at all
            self._tasks.append(asyncio.create_task(self._checkpoint(), name="wal-checkpoint"))
        if self.step is not None:
            self._tasks.append(asyncio.create_task(self.step(self._stop), name="stepper"))
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

    def _stopped_tasks(self) -> list[str]:
        """The tasks (other than the caller) that ended: a worker missing one is not healthy."""
        current = asyncio.current_task()
        return [t.get_name() for t in self._tasks if t is not current and t.done()]

    async def _heartbeat(self) -> None:
        while not self._stop.is_set():
            try:
                if stopped := self._stopped_tasks():
                    # no beat: the web tier's /readyz and the other workers see this one as dead
                    raise RuntimeError(f"worker tasks stopped: {', '.join(stopped)}")
                now = datetime.now(UTC)
                await self.db.run(beat, self.db.engine, self.name, now)
                self._beaten = time.monotonic()
                # the number's send rate is Meta's, whatever the number of workers: share it
                self.sender.share(await self.db.run(alive_workers, self.db.engine, now))
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
        while not self._stop.is_set():
            try:
                await self.db.checkpoint_in_background()
            except Exception:
                log.exception("WAL checkpoint failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=1.0)
