"""The number's send rate is Meta's, whatever the number of workers: each live worker (counted by
its heartbeat in the database) sends at its share, so M workers together never exceed it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dresbach.platform.outbound.sender import OutboxSender
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.work.heartbeats import STALE, alive_workers, beat, workers_alive

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


class Silent:
    async def send(self, *_args: object, **_kwargs: object) -> str:
        raise AssertionError("nothing is sent here")


def test_live_workers_are_counted_and_share_the_rate(database_url: str) -> None:
    migrate(database_url)
    db = Database(database_url)
    try:
        assert alive_workers(db.engine, NOW) == 0
        assert not workers_alive(db.engine, NOW)
        beat(db.engine, "host-a:1", NOW)
        beat(db.engine, "host-b:2", NOW - timedelta(seconds=10))
        beat(db.engine, "host-c:3", NOW - STALE - timedelta(seconds=1))  # dead
        beat(db.engine, "host-a:1", NOW)  # a second beat updates the same row
        assert alive_workers(db.engine, NOW) == 2

        sender = OutboxSender(db, Silent(), rate=80.0)  # type: ignore[arg-type]
        sender.share(alive_workers(db.engine, NOW))
        assert sender.bucket.rate == 40.0
        assert sender.bucket.burst == 40.0
        sender.share(0)  # before the first beat is seen: the whole rate, never a division by 0
        assert sender.bucket.rate == 80.0
        sender.share(3)
        assert round(sender.bucket.rate, 3) == 26.667
        assert sender.bucket.tokens <= sender.bucket.burst
    finally:
        db.close()
