"""A job runs under the correlation id of the message that set it off, so what it logs (and
the event it feeds back) can be followed from the webhook; two jobs of two messages, run side by
side, keep theirs apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import insert

from dresbach.platform.observe.correlation import correlation_id_for, current
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import jobs
from dresbach.platform.work.jobs import Job, JobRunner


def test_each_job_runs_under_its_messages_correlation_id(sqlite_url: str) -> None:
    migrate(sqlite_url)
    db = Database(sqlite_url)
    first, second = "wamid.HBgNNTUxMTk4NzY1MDAwMRUA", "wamid.HBgNNTUxMTk4NzY1MDAwMRUB"
    now = datetime.now(UTC)
    with db.engine.begin() as connection:
        for command_id in (f"{first}:charge", f"{second}:login"):
            connection.execute(
                insert(jobs).values(
                    command_id=command_id,
                    kind="probe",
                    payload="{}",
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    seen: dict[str, str | None] = {}

    async def probe(job: Job) -> None:
        await asyncio.sleep(0.01)  # both run at once, each in its own task
        seen[job.command_id] = current()

    async def run() -> int:
        return await JobRunner(db, {"probe": probe}).run_once()

    try:
        assert asyncio.run(run()) == 2
    finally:
        db.close()
    assert seen == {
        f"{first}:charge": correlation_id_for(first),
        f"{second}:login": correlation_id_for(second),
    }
    assert current() is None  # nothing leaks out of the runner
