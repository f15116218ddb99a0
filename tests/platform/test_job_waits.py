"""A job whose input is still on its way (`NotReadyError`: a customer's file still being fetched)
waits without counting an attempt, however long it waits, and runs once the input is there; a
real failure still counts and ends in giving up. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from dresbach.kernel.errors import NotReadyError, TransientError
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import jobs
from dresbach.platform.work.jobs import Job, JobRunner


def test_waiting_is_not_failing_and_failing_still_gives_up(database_url: str) -> None:
    migrate(database_url)
    db = Database(database_url)
    clock = [datetime.now(UTC)]
    with db.engine.begin() as connection:
        for command_id, kind in (("m1:forward", "waits"), ("m2:forward", "fails")):
            connection.execute(
                insert(jobs).values(
                    command_id=command_id,
                    kind=kind,
                    payload="{}",
                    status="pending",
                    attempts=0,
                    next_attempt_at=clock[0],
                    created_at=clock[0],
                )
            )
    ready = {"file": False}
    ran: list[str] = []

    async def waits(job: Job) -> None:
        if not ready["file"]:
            raise NotReadyError("media 1 is still being fetched", retry_after=5)
        ran.append(job.command_id)

    async def fails(_job: Job) -> None:
        raise TransientError("the desk is down")

    runner = JobRunner(db, {"waits": waits, "fails": fails}, max_attempts=3, clock=lambda: clock[0])

    def rows() -> dict[str, tuple[str, int]]:
        with db.engine.connect() as connection:
            found = connection.execute(select(jobs.c.kind, jobs.c.status, jobs.c.attempts))
            return {kind: (status, attempts) for kind, status, attempts in found}

    try:
        for _ in range(10):  # far more passes than max_attempts
            asyncio.run(runner.run_once())
            clock[0] += timedelta(minutes=10)
        assert rows() == {"waits": ("pending", 0), "fails": ("failed", 3)}
        ready["file"] = True
        asyncio.run(runner.run_once())
    finally:
        db.close()
    assert ran == ["m1:forward"]
    assert rows()["waits"] == ("done", 1)
