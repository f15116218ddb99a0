"""SQLite's single writer has two lanes: what a webhook's 200 waits for (`Database.run_first`)
goes before the work queued behind it (jobs, the outbox), never before the one it is running;
and a process pays its first messages' one-off costs at start (`bootstrap.warm_up`)."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from datetime import UTC, datetime

import pytest

from dresbach.bootstrap import warm_up
from dresbach.features.faq import matcher
from dresbach.kernel import hours
from dresbach.platform.store import database as database_module
from dresbach.platform.store.database import Database, Writer, migrate


def test_an_acknowledgement_goes_before_the_work_queued_but_after_the_one_running(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job holds the writer; two more jobs queue; then a webhook's insert arrives: it runs as
    soon as the running job ends, before the two that were queued before it."""
    monkeypatch.setattr(database_module, "PATIENCE", 10.0)
    migrate(sqlite_url)
    db = Database(sqlite_url)
    ran: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def job(name: str) -> str:
        if name == "running":
            holding.set()
            release.wait(5)
        ran.append(name)
        return name

    async def scenario() -> list[str]:
        running = asyncio.create_task(db.run(job, "running"))
        await asyncio.to_thread(holding.wait, 5)
        queued = [asyncio.create_task(db.run(job, f"job {n}")) for n in (1, 2)]
        await asyncio.sleep(0.05)
        acknowledgement = asyncio.create_task(db.run_first(job, "store"))
        await asyncio.sleep(0.05)
        release.set()
        return list(await asyncio.gather(running, *queued, acknowledgement))

    try:
        assert asyncio.run(scenario()) == ["running", "job 1", "job 2", "store"]
        assert ran == ["running", "store", "job 1", "job 2"]
    finally:
        db.close()


def test_a_long_burst_delays_the_other_work_but_never_starves_it() -> None:
    """Thirty acknowledgements of 10 ms each arrive behind a job: the job waits `PATIENCE`
    (50 ms), not the 300 ms of the whole burst."""
    writer = Writer(name="test-writer")
    ran: list[str] = []
    hold = threading.Event()
    writer.submit(lambda: hold.wait(5))  # what the writer is running
    job = writer.submit(lambda: ran.append("job"))

    def acknowledgement(n: int) -> None:
        time.sleep(0.01)
        ran.append(f"ack {n}")

    for n in range(30):
        writer.submit(lambda n=n: acknowledgement(n), first=True)  # type: ignore[misc]
    hold.set()
    job.result(timeout=5)
    writer.shutdown()
    assert len(ran) == 31
    assert 0 < ran.index("job") < 20


def test_the_writer_hands_errors_back_and_runs_what_was_queued_before_it_stops() -> None:
    writer = Writer(name="test-writer")
    done: list[int] = []

    def fails() -> None:
        raise ValueError("no")

    failing = writer.submit(fails)
    later = [writer.submit(lambda n=n: done.append(n)) for n in range(3)]  # type: ignore[misc]
    writer.shutdown()
    with pytest.raises(ValueError, match="no"):
        failing.result(timeout=1)
    assert [f.done() for f in later] == [True, True, True]
    assert done == [0, 1, 2]


def test_serve_and_worker_warm_up_what_the_first_messages_would_pay() -> None:
    """The FAQ's matcher is trained and the holidays of this year and the next are loaded before
    any message: a first customer does not wait a few hundred milliseconds for them; and what is
    built by then is frozen, so that a full collection under load does not walk it again."""
    matcher.shipped.cache_clear()
    hours._national.cache_clear()
    gc.unfreeze()
    try:
        warm_up(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert frozen > 0  # what start-up built is out of the collector's sight
    assert matcher.shipped.cache_info().currsize == 1
    assert hours._national.cache_info().currsize == 2  # 2026 and 2027, loaded
