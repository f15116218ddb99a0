"""Many processes run the notices' timer; each period one of them polls WHMCS. On SQLite and
PostgreSQL: eight timers firing at the same instant (each on its own connection, released
together) make one claim of the poll, never two and never none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dresbach.features.notices.records import POLLED_AT, claim_poll
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import notice_cursors
from tests.support.at_once import at_once, warm

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
EVERY = timedelta(minutes=5)
TIMERS = 8


@pytest.fixture
def db(database_url: str) -> Database:
    migrate(database_url)
    database = Database(database_url)
    warm(database.engine, TIMERS)
    yield database  # type: ignore[misc]
    database.close()


def polled_at(db: Database) -> str:
    with db.engine.connect() as connection:
        value = connection.execute(
            select(notice_cursors.c.value).where(notice_cursors.c.name == POLLED_AT)
        ).scalar_one()
    return str(value)


def test_eight_timers_firing_at_once_on_a_fresh_database_make_one_poll(db: Database) -> None:
    """No process ever polled: the eight timers fire together, one of them polls, the seven
    others learn it is taken, and the poll's row says when."""
    claims = at_once(TIMERS, lambda _: claim_poll(db.engine, NOW, EVERY))

    assert [c for c in claims if isinstance(c, BaseException)] == []
    assert sorted(claims, key=bool) == [False] * (TIMERS - 1) + [True]
    assert polled_at(db) == NOW.isoformat()


def test_eight_timers_firing_once_the_period_has_passed_make_one_poll(db: Database) -> None:
    """One polled at noon. Halfway through the period the eight timers fire and none polls;
    when the period is over they fire again and exactly one polls."""
    assert claim_poll(db.engine, NOW, EVERY)

    early = at_once(TIMERS, lambda _: claim_poll(db.engine, NOW + EVERY / 2, EVERY))
    assert early == [False] * TIMERS
    assert polled_at(db) == NOW.isoformat()

    later = NOW + EVERY
    claims = at_once(TIMERS, lambda _: claim_poll(db.engine, later, EVERY))
    assert [c for c in claims if isinstance(c, BaseException)] == []
    assert sorted(claims, key=bool) == [False] * (TIMERS - 1) + [True]
    assert polled_at(db) == later.isoformat()


def test_eight_processes_each_with_its_own_engine_make_one_poll(database_url: str) -> None:
    """Eight `dresbach serve` processes (each its own engine and pool) fire together: one polls."""
    migrate(database_url)
    processes = [Database(database_url) for _ in range(TIMERS)]
    try:
        claims = at_once(TIMERS, lambda i: claim_poll(processes[i].engine, NOW, EVERY))
    finally:
        for process in processes:
            process.close()
    assert [c for c in claims if isinstance(c, BaseException)] == []
    assert sorted(claims, key=bool) == [False] * (TIMERS - 1) + [True]
