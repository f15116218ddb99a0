"""The application service the edge calls: take parsed events in.

Group commit: events that arrive while the previous batch is being written wait for the next
one, and a batch is one transaction (one fsync on SQLite) in which every event is its own unit of
work under a savepoint: a duplicate or a failing event rolls back alone. Under light load a
batch holds one event, so nothing waits; under heavy load the commits, not the events, are
batched.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dresbach.kernel.events import Event, StatusReported
from dresbach.kernel.policy import Policy
from dresbach.platform.clock import utcnow
from dresbach.platform.store.database import Database
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import (
    BURST_JOB,
    Taken,
    record_statuses,
    step_held,
    take_in_many,
)
from dresbach.platform.work.jobs import Handler, Job

log = logging.getLogger(__name__)


BATCH = 64

Waiting = tuple[Event, dict[str, Any], "asyncio.Future[Taken]"]


@dataclass(slots=True)
class Pipeline:
    db: Database
    policy: Policy
    sealer: Sealer
    hooks: StepHooks
    """What the features tell every step (`features/step_hooks.py`)."""
    on_enqueued: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utcnow
    observe_step: Callable[[float], None] | None = None
    """Given each event's step duration in seconds (the metrics' histogram)."""
    _waiting: list[Waiting] = field(default_factory=list)
    _writing: bool = False
    _writer: asyncio.Task[None] | None = None

    async def take_in(self, event: Event, payload: dict[str, Any]) -> Taken:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Taken] = loop.create_future()
        self._waiting.append((event, payload, future))
        if not self._writing:
            self._writing = True
            self._writer = loop.create_task(self._write())
        taken = await future
        if not taken.duplicate:
            self.on_enqueued()
        return taken

    async def _write(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
                items = [(event, payload) for event, payload, _ in batch]
                try:
                    outcomes = await self.db.run(
                        take_in_many,
                        self.db.engine,
                        items,
                        self.clock(),
                        self.policy,
                        self.sealer,
                        self.hooks,
                        self.observe_step,
                    )
                except Exception as error:  # the commit itself failed: nobody was taken in
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for (_, _, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if isinstance(outcome, BaseException):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            self._writing = False

    async def take_in_all(
        self, events: Sequence[tuple[Event, dict[str, Any]]], statuses: Sequence[StatusReported]
    ) -> list[Taken]:
        taken = [await self.take_in(event, payload) for event, payload in events]
        if statuses:
            await self.db.run(record_statuses, self.db.engine, list(statuses))
        return taken

    async def step_held(self, job: Job) -> None:
        """The burst job (`BURST_JOB`): the texts a user sent at rest in quick succession,
        stepped as one turn once the last one's window closed."""
        assert job.conversation_key is not None
        taken = await self.db.run(
            step_held,
            self.db.engine,
            job.conversation_key,
            job.payload["message_id"],
            self.clock(),
            self.policy,
            self.sealer,
            self.hooks,
        )
        if taken is not None:
            self.on_enqueued()

    @property
    def jobs(self) -> dict[str, Handler]:
        """The jobs the pipeline runs itself: the held texts' turn."""
        return {BURST_JOB: self.step_held}
