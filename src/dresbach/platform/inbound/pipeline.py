"""The application service the edge calls: take parsed events in.

A webhook's messages are stored, then answered (`receive`): each one's inbox row, deduplicated
by its id, in one commit, and nothing else on the request path. A worker steps them (`run`, in
`dresbach serve` and `dresbach worker`): per conversation, in arrival order, each in its own
unit of work (`unit_of_work/arrivals.py`). It is woken in-process by each commit of new
arrivals, by PostgreSQL's `NOTIFY` from other processes (`wakeups.py`), and polls slowly besides.

On SQLite the acknowledgements go first: the inserts and the steps share one writer, so while
webhooks' inserts wait or are being written the stepper does not start a pass (for `ACK_FIRST` at
most, so a long burst never starves the inbox), and a pass in progress ends after the message at
hand. A burst is acknowledged at the speed of the inserts and stepped as it eases. On PostgreSQL
the inserts have connections of their own and a pass runs its budget (cutting it for them was
measured to halve the stepping: a pass is a few round trips and advisory locks).

Internal events (`take_in`: job results, timers, operators) are stepped at once, as before.

Group commit, on both paths: what arrives while the previous batch is being written waits for
the next one, and a batch is one transaction (one fsync on SQLite); in `take_in` every event is
its own unit of work under a savepoint, so a duplicate or a failing event rolls back alone.
Under light load a batch holds one request, so nothing waits; under heavy load the commits, not
the events, are batched, and no 200 leaves before its batch is committed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dresbach.kernel.events import Event, InboundEvent, StatusReported
from dresbach.kernel.policy import Policy
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound.wakeups import listen
from dresbach.platform.store.database import Database
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import (
    BURST_JOB,
    CHANNEL,
    Pass,
    Taken,
    record_statuses,
    step_arrivals,
    step_held,
    store_arrivals,
    take_in_many,
)
from dresbach.platform.work.jobs import Handler, Job

log = logging.getLogger(__name__)


BATCH = 64
POLL = 1.0
"""Seconds between two looks at the inbox when nothing woke the stepper (the safety net)."""
BUDGET = 0.05
"""Seconds of stepping per commit at most. A pass also ends after the message at hand as soon as
an acknowledgement waits (`acknowledging`): on SQLite the two share one writer."""

ACK_FIRST = 0.1
"""Seconds the stepper gives way, at most, to the acknowledgements: while webhooks' inserts are
being written (a burst), it waits for them to ease, and a pass it is in ends after the message at
hand. Once every `ACK_FIRST` it steps anyway, so a sustained burst never starves the inbox."""
QUIET = 0.001
"""Seconds without an insert after which the acknowledgements count as eased."""

Waiting = tuple[Event, dict[str, Any], "asyncio.Future[Taken]"]
Arriving = tuple[list[tuple[InboundEvent, dict[str, Any]]], "asyncio.Future[list[bool]]"]


@dataclass(slots=True)
class Pipeline:
    db: Database
    policy: Policy
    sealer: Sealer
    hooks: StepHooks
    """What the features tell every step (`features/step_hooks.py`)."""
    on_enqueued: Callable[[], None] = lambda: None
    """Something was queued to send (the sender wakes)."""
    on_jobs: Callable[[], None] = lambda: None
    """A job may have been enqueued (the job worker wakes)."""
    clock: Callable[[], datetime] = utcnow
    observe_step: Callable[[float], None] | None = None
    """Given each event's step duration in seconds (the metrics' histogram)."""
    _waiting: list[Waiting] = field(default_factory=list)
    _writing: bool = False
    _writer: asyncio.Task[None] | None = None
    _arriving: list[Arriving] = field(default_factory=list)
    _storing: asyncio.Task[None] | None = None
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _stored: asyncio.Event = field(default_factory=asyncio.Event)
    _last_stored: float = 0.0

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
            self.on_jobs()
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

    async def receive(
        self,
        events: Sequence[tuple[InboundEvent, dict[str, Any]]],
        statuses: Sequence[StatusReported],
    ) -> list[bool]:
        """Store a webhook's messages (True for each one new, False for a duplicate) and record
        its statuses; the messages are stepped by a worker."""
        fresh = await self._store(list(events)) if events else []
        if statuses:
            await self.db.run_first(record_statuses, self.db.engine, list(statuses))
        return fresh

    async def _store(self, items: list[tuple[InboundEvent, dict[str, Any]]]) -> list[bool]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[bool]] = loop.create_future()
        self._arriving.append((items, future))
        if self._storing is None:
            self._stored.clear()
            self._storing = loop.create_task(self._write_arrivals())
        fresh = await future
        if any(fresh):
            self.wake()
        return fresh

    async def _write_arrivals(self) -> None:
        try:
            while self._arriving:
                batch, self._arriving = self._arriving[:BATCH], self._arriving[BATCH:]
                items = [item for group, _ in batch for item in group]
                try:
                    fresh = await self.db.run_first(
                        store_arrivals, self.db.engine, items, self.clock(), self.sealer
                    )
                except Exception as error:  # the commit failed: nothing of the batch is stored
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                start = 0
                for group, future in batch:
                    if not future.done():
                        future.set_result(fresh[start : start + len(group)])
                    start += len(group)
        finally:
            self._storing = None
            self._last_stored = time.monotonic()
            self._stored.set()

    def acknowledging(self) -> bool:
        """Whether webhooks' inserts are waiting or being written (read from the writer thread
        too: one attribute, under the GIL)."""
        return self._storing is not None

    async def _acks_first(self) -> None:
        """Give way to the acknowledgements until they ease, `ACK_FIRST` seconds at most."""
        deadline = time.monotonic() + ACK_FIRST
        while (left := deadline - time.monotonic()) > 0:
            if self._storing is not None:
                try:
                    await asyncio.wait_for(self._stored.wait(), left)
                except TimeoutError:
                    return
                continue
            quiet = time.monotonic() - self._last_stored
            if quiet >= QUIET:
                return
            await asyncio.sleep(min(QUIET - quiet, left))

    def wake(self) -> None:
        """Something arrived: the stepper looks at the inbox now."""
        self._wake.set()

    async def step_waiting(self) -> Pass:
        """One stepping pass over the messages waiting in the inbox."""
        done = await self.db.run(
            step_arrivals,
            self.db.engine,
            self.clock(),
            self.policy,
            self.sealer,
            self.hooks,
            self.observe_step,
            budget=BUDGET,
            # on PostgreSQL the inserts have connections of their own: a pass is not cut for them
            yield_to=self.acknowledging if self.db.is_sqlite else None,
        )
        if done.stepped:
            self.on_enqueued()
        if done.jobs:
            self.on_jobs()
        return done

    async def drain(self) -> None:
        """Step every message waiting now (`dresbach chat`, which runs no workers)."""
        while (done := await self.step_waiting()).stepped or done.more:
            pass

    async def run(self, stop: asyncio.Event) -> None:
        """The stepper: step what waits, then sleep until woken, stopped, or `POLL` passed."""
        self._wake = asyncio.Event()  # of this loop, whatever loop built the pipeline
        self._stored = asyncio.Event()
        listening = None
        if not self.db.is_sqlite:
            listening = asyncio.create_task(listen(self.db.url, CHANNEL, self.wake))
        try:
            while not stop.is_set():
                self._wake.clear()
                if self.db.is_sqlite:
                    await self._acks_first()
                try:
                    done = await self.step_waiting()
                except Exception:
                    log.exception("stepping the inbox failed")
                    done = Pass()
                if done.more:
                    await asyncio.sleep(0)  # the acknowledgements waiting go first
                    continue
                await self._sleep(stop)
        finally:
            if listening is not None:
                listening.cancel()

    async def _sleep(self, stop: asyncio.Event) -> None:
        waits = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waits, timeout=POLL, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for each in waits:
                each.cancel()

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
            self.on_jobs()

    @property
    def jobs(self) -> dict[str, Handler]:
        """The jobs the pipeline runs itself: the held texts' turn."""
        return {BURST_JOB: self.step_held}
