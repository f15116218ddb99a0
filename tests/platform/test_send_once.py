"""Send once, unless Meta is silent: a send in doubt waits for a status webhook naming it.

A worker that dies after the Graph API accepted a send, and before recording it, leaves its row
pending and leased. Once the lease ends, the row is not sent again at once: it waits
`doubt` for a status that names it by our `biz_opaque_callback_data`. A status (sent,
delivered, read, even failed) says Meta had it: the row is recorded as sent with the status's
wamid. Only when no status comes is it sent again. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dresbach.kernel.events import Sender, StatusReported, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.outbound.outbox import Claimed, Result, cycle
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import outbox
from dresbach.platform.store.unit_of_work import record_statuses, take_in

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=9)
DOUBT = timedelta(seconds=5)
ANA = Sender(user_id="BR.200", wa_id="5511922220000", profile_name="Ana")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def the_user_says_oi(db: Database) -> None:
    """One inbound text: a read receipt and two replies queued, in that order."""
    event = TextReceived(message_id="wamid.in.1", sender=ANA, timestamp=NOW, body="oi")
    take_in(db.engine, event, {}, NOW, Policy())


def claim(db: Database, at: datetime, results: list[Result] | None = None) -> list[Claimed]:
    runs = cycle(db.engine, results or [], at, 64, LEASE, DOUBT)
    return [row for run in runs for row in run]


def replies(db: Database) -> list[dict[str, object]]:
    with db.engine.connect() as connection:
        query = select(outbox).where(outbox.c.kind == "message").order_by(outbox.c.seq)
        return [dict(r) for r in connection.execute(query).mappings()]


def meta_reports(db: Database, row: Claimed, status: str, at: datetime) -> None:
    """The status webhook Meta sends for a message it accepted, echoing our callback."""
    record_statuses(
        db.engine,
        [
            StatusReported(
                wamid=f"wamid.out.{row.id}",
                status=status,
                timestamp=at,
                recipient=ANA.wa_id,
                callback_data=row.callback_data,
            )
        ],
    )


def a_worker_claims_and_dies(db: Database) -> list[Claimed]:
    """A worker claims the queue, sends the read receipt and the first reply (the Graph API
    accepts them), records nothing, and is killed."""
    claimed = claim(db, NOW)
    assert [row.kind for row in claimed] == ["read", "message", "message"]
    return claimed


def test_a_send_in_doubt_waits_and_a_status_naming_it_records_it_instead(db: Database) -> None:
    the_user_says_oi(db)
    read, first, second = a_worker_claims_and_dies(db)
    ended = NOW + LEASE + timedelta(seconds=1)
    # The lease ended: the queue is in doubt, so nothing is claimed before the wait.
    assert claim(db, ended) == []
    assert claim(db, ended + DOUBT - timedelta(seconds=1)) == []
    # Meta's status for the first reply arrives during the wait.
    meta_reports(db, first, "delivered", ended + timedelta(seconds=2))
    recorded = replies(db)[0]
    assert recorded["status"] == "sent"
    assert recorded["wamid"] == f"wamid.out.{first.id}"
    assert recorded["delivery_status"] == "delivered"
    # After the wait, the rest goes again; the first reply is not among them.
    again = claim(db, ended + DOUBT + timedelta(seconds=1))
    assert [row.id for row in again] == [read.id, second.id]


def test_no_status_in_the_wait_means_meta_was_silent_so_it_goes_again(db: Database) -> None:
    the_user_says_oi(db)
    claimed = a_worker_claims_and_dies(db)
    ended = NOW + LEASE + timedelta(seconds=1)
    assert claim(db, ended) == []
    again = claim(db, ended + DOUBT + timedelta(seconds=1))
    assert [row.id for row in again] == [row.id for row in claimed]


def test_a_status_that_comes_while_the_dead_worker_still_holds_the_row_is_kept(
    db: Database,
) -> None:
    """Meta's status usually comes within a second, long before the dead worker's lease ends:
    the send is recorded then, and after the lease and the wait only the rest goes again."""
    the_user_says_oi(db)
    read, first, second = a_worker_claims_and_dies(db)
    meta_reports(db, first, "sent", NOW + timedelta(seconds=1))
    meta_reports(db, second, "sent", NOW + timedelta(seconds=1))
    assert [(r["status"], r["wamid"]) for r in replies(db)] == [
        ("sent", f"wamid.out.{first.id}"),
        ("sent", f"wamid.out.{second.id}"),
    ]
    assert claim(db, NOW + LEASE + timedelta(seconds=1)) == []  # the read receipt: in doubt
    again = claim(db, NOW + LEASE + DOUBT + timedelta(seconds=2))
    assert [row.id for row in again] == [read.id]  # only the read receipt goes again


def test_a_live_worker_records_its_own_send_when_the_status_comes_first(db: Database) -> None:
    the_user_says_oi(db)
    read, first, second = claim(db, NOW)
    meta_reports(db, first, "sent", NOW + timedelta(milliseconds=40))
    settled = [
        Result(id=read.id, sent=True),
        Result(id=first.id, sent=True, wamid=f"wamid.out.{first.id}"),
        Result(id=second.id, sent=True, wamid=f"wamid.out.{second.id}"),
    ]
    assert claim(db, NOW + timedelta(seconds=1), settled) == []
    assert [(r["status"], r["wamid"]) for r in replies(db)] == [
        ("sent", f"wamid.out.{first.id}"),
        ("sent", f"wamid.out.{second.id}"),
    ]


def test_a_failed_status_still_says_meta_had_it(db: Database) -> None:
    the_user_says_oi(db)
    _read, first, _second = a_worker_claims_and_dies(db)
    ended = NOW + LEASE + timedelta(seconds=1)
    claim(db, ended)
    meta_reports(db, first, "failed", ended + timedelta(seconds=1))
    recorded = replies(db)[0]
    assert (recorded["status"], recorded["delivery_status"]) == ("sent", "failed")


def test_without_a_wait_a_dead_workers_rows_go_again_as_before(db: Database) -> None:
    the_user_says_oi(db)
    claimed = claim(db, NOW)
    runs = cycle(db.engine, [], NOW + LEASE + timedelta(seconds=1), 64, LEASE, timedelta(0))
    assert [row.id for run in runs for row in run] == [row.id for row in claimed]
