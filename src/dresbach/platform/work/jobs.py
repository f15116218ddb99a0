"""The job worker: slow side effects (Pix charges, payment checks) run off the webhook path.

Jobs are claimed under a lease like outbox rows; a handler raises TransientError to be retried
with backoff, PermanentError to be given up (its `on_give_up` tells the conversation).
NotReadyError (a TransientError) waits for another job's work without counting an attempt.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, Integer, bindparam, or_, select, update

from dresbach.kernel.errors import NotReadyError, PermanentError, TransientError
from dresbach.platform.observe.correlation import bound, correlation_id_for
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import jobs

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    id: int
    command_id: str
    kind: str
    conversation_key: str | None
    payload: dict[str, Any]
    attempts: int


Handler = Callable[[Job], Awaitable[None]]
GiveUp = Callable[[Job, str], Awaitable[None]]


_NOW = bindparam("now", type_=jobs.c.next_attempt_at.type)
_CLAIMABLE = (
    select(jobs)
    .where(
        jobs.c.status == "pending",
        jobs.c.kind.in_(bindparam("kinds", expanding=True)),
        jobs.c.next_attempt_at <= _NOW,
        or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < _NOW),
    )
    .order_by(jobs.c.id)
    .limit(bindparam("limit", type_=Integer))
)
_CLAIMABLE_PG = _CLAIMABLE.with_for_update(skip_locked=True)
_LEASE = (
    update(jobs)
    .where(jobs.c.id.in_(bindparam("ids", expanding=True)))
    .values(lease_until=bindparam("until", type_=jobs.c.lease_until.type))
)
"""Built once: the job worker claims at every wake-up and every poll."""


def claim_jobs(engine: Engine, kinds: list[str], now: datetime, limit: int) -> list[Job]:
    with engine.begin() as connection:
        query = _CLAIMABLE_PG if connection.dialect.name == "postgresql" else _CLAIMABLE
        found = connection.execute(query, {"kinds": kinds, "now": now, "limit": limit})
        rows = found.mappings().all()
        if rows:
            connection.execute(_LEASE, {"ids": [r["id"] for r in rows], "until": now + LEASE})
    return [
        Job(
            id=r["id"],
            command_id=r["command_id"],
            kind=r["kind"],
            conversation_key=r["conversation_key"],
            payload=orjson.loads(r["payload"]),
            attempts=r["attempts"],
        )
        for r in rows
    ]


def finish_job(
    engine: Engine,
    job_id: int,
    now: datetime,
    *,
    error: str | None,
    retry_at: datetime | None,
    wipe: bool = False,
    counted: bool = True,
) -> None:
    values: dict[str, Any] = {"lease_until": None}
    if counted:
        values["attempts"] = jobs.c.attempts + 1
    if wipe and retry_at is None:
        values["payload"] = "{}"  # a sealed secret has no business staying once it was used
    if retry_at is not None:
        values.update(next_attempt_at=retry_at, last_error=error)
    elif error is not None:
        values.update(status="failed", last_error=error, done_at=now)
    else:
        values.update(status="done", last_error=None, done_at=now)
    with engine.begin() as connection:
        connection.execute(update(jobs).where(jobs.c.id == job_id).values(values))


class JobRunner:
    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Handler],
        *,
        give_up: Mapping[str, GiveUp] | None = None,
        wipe: frozenset[str] = frozenset(),
        max_attempts: int = 8,
        base_backoff: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.handlers = db, dict(handlers)
        self.give_up = dict(give_up or {})
        self.wipe = wipe
        self.max_attempts, self.base_backoff, self.clock = max_attempts, base_backoff, clock
        self._wake = asyncio.Event()
        self._rng = random.Random()

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> int:
        claimed = await self.db.run(
            claim_jobs, self.db.engine, list(self.handlers), self.clock(), 16
        )
        await asyncio.gather(*(self._run(job) for job in claimed))
        return len(claimed)

    async def drain(self, *, within: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + within
        while await self.run_once():
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("jobs still running")

    async def run(self, stop: asyncio.Event, *, poll: float = 0.5) -> None:
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("job pass failed")
                handled = 0
            if not handled:
                self._wake.clear()
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait(
                    {waiter, stopper}, timeout=poll, return_when=asyncio.FIRST_COMPLETED
                )
                waiter.cancel()
                stopper.cancel()

    async def _run(self, job: Job) -> None:
        with bound(correlation_id_for(job.command_id)):  # what it logs carries its message's id
            await self._run_job(job)

    async def _run_job(self, job: Job) -> None:
        now = self.clock()
        try:
            await self.handlers[job.kind](job)
        except NotReadyError as error:
            log.info("job %s (%s) waits: %s", job.id, job.kind, error)
            wait = timedelta(seconds=error.retry_after or self.base_backoff)
            await self.db.run(
                finish_job,
                self.db.engine,
                job.id,
                now,
                error=str(error),
                retry_at=now + wait,
                counted=False,
            )
        except TransientError as error:
            attempts = job.attempts + 1
            if attempts < self.max_attempts:
                delay = self.base_backoff * 2 ** (attempts - 1) * self._rng.uniform(0.5, 1.5)
                log.warning(
                    "job %s (%s) failed, retry in %.1fs: %s", job.id, job.kind, delay, error
                )
                await self.db.run(
                    finish_job,
                    self.db.engine,
                    job.id,
                    now,
                    error=str(error),
                    retry_at=now + timedelta(seconds=delay),
                )
                return
            await self._abandon(job, f"gave up after {attempts} attempts: {error}")
        except PermanentError as error:
            await self._abandon(job, str(error))
        except Exception as error:  # a bug: keep the job, retry later, shout
            log.exception("job %s (%s) crashed", job.id, job.kind)
            await self.db.run(
                finish_job,
                self.db.engine,
                job.id,
                now,
                error=repr(error),
                retry_at=now + timedelta(seconds=60),
            )
        else:
            await self.db.run(
                finish_job,
                self.db.engine,
                job.id,
                now,
                error=None,
                retry_at=None,
                wipe=job.kind in self.wipe,
            )

    async def _abandon(self, job: Job, reason: str) -> None:
        log.error("job %s (%s) failed for good: %s", job.id, job.kind, reason)
        handler = self.give_up.get(job.kind)
        if handler is not None:
            await handler(job, reason)
        await self.db.run(
            finish_job,
            self.db.engine,
            job.id,
            self.clock(),
            error=reason,
            retry_at=None,
            wipe=job.kind in self.wipe,
        )
