"""The scheduled purge, on SQLite and PostgreSQL: each table keeps its records for its retention
period and not longer; payments stay five years at least; nothing still to be sent goes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, func, insert, select, update

from dresbach.config import SettingsError, load_settings
from dresbach.features.privacy.model import ERASED, Retention
from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.retention import RetentionPurge, purge
from dresbach.platform.store.schema import (
    audit_log,
    bookings,
    conversations,
    email_codes,
    handoffs,
    inbound_media,
    inbox,
    jobs,
    leads,
    login_attempts,
    login_locks,
    media_blobs,
    outbox,
    payment_receipts,
    payments,
)
from dresbach.platform.store.unit_of_work import take_in
from dresbach.platform.whatsapp import payloads

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
RETENTION = Retention()


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def put(db: Database, table: Table, **values: Any) -> None:
    with db.engine.begin() as connection:
        connection.execute(insert(table).values(**values))


def conversation(db: Database, key: str, *, silent_days: float, seq: int = 0) -> None:
    put(
        db,
        conversations,
        key=key,
        address=key,
        flow="menu",
        state="main",
        slots="{}",
        trail="[]",
        outbox_seq=seq,
        version=1,
        created_at=ago(silent_days),
        updated_at=ago(silent_days),
    )


def message(db: Database, key: str, seq: int, *, days: float, status: str = "sent") -> None:
    put(
        db,
        outbox,
        conversation_key=key,
        seq=seq,
        recipient=key,
        kind="message",
        payload='{"t": "text", "body": "Olá"}',
        status=status,
        attempts=0,
        next_attempt_at=ago(days),
        delivery_rank=0,
        created_at=ago(days),
    )


def received(db: Database, message_id: str, key: str, *, days: float) -> None:
    put(
        db,
        inbox,
        message_id=message_id,
        conversation_key=key,
        kind="text",
        payload='{"text": {"body": "oi"}}',
        received_at=ago(days),
    )


def lead(db: Database, lead_id: str, *, days: float) -> None:
    put(
        db,
        leads,
        lead_id=lead_id,
        conversation_key="5511900000001",
        status="lost",
        answers='{"name": "Rui Alves", "email": "rui@exemplo.com.br"}',
        created_at=ago(days),
        updated_at=ago(days),
    )


def payment(db: Database, txid: str, lead_id: str, *, days: float) -> None:
    put(
        db,
        payments,
        txid=txid,
        provider="static",
        provider_id=txid,
        conversation_key="5511900000001",
        lead_id=lead_id,
        amount="1500.00",
        copia_e_cola="000201…",
        status="paid",
        created_at=ago(days),
        expires_at=ago(days),
        paid_at=ago(days),
    )
    put(
        db,
        payment_receipts,
        command_id=f"receipt:{txid}",
        txid=txid,
        conversation_key="5511900000001",
        media_id="m1",
        mime_type="image/jpeg",
        status="accepted",
        created_at=ago(days),
    )


def booking(db: Database, booking_id: str, *, days_ago: float) -> None:
    put(
        db,
        bookings,
        booking_id=booking_id,
        conversation_key="5511900000001",
        lead_id="lead-paid",
        start_at=ago(days_ago),
        end_at=ago(days_ago) + timedelta(hours=1),
        status="booked",
        attendee_name="Rui Alves",
        attendee_email="rui@exemplo.com.br",
        calendar="internal",
        created_at=ago(days_ago + 1),
    )


def keys(db: Database, table: Table, column: str) -> set[Any]:
    with db.engine.connect() as connection:
        return set(connection.execute(select(table.c[column])).scalars())


def count(db: Database, table: Table) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_each_table_keeps_its_records_for_its_period_and_not_longer(db: Database) -> None:
    received(db, "wamid.old", "5511900000001", days=181)
    received(db, "wamid.new", "5511900000001", days=179)
    conversation(db, "5511900000001", silent_days=1, seq=3)
    message(db, "5511900000001", 1, days=181)
    message(db, "5511900000001", 2, days=179)
    message(db, "5511900000001", 3, days=200, status="pending")  # still to be sent: stays
    lead(db, "lead-stale", days=366)
    lead(db, "lead-paid", days=366)
    lead(db, "lead-recent", days=300)
    payment(db, "DRB-5y-ago", "lead-paid", days=5 * 365 + 30)  # inside the legal period
    payment(db, "DRB-7y-ago", "lead-gone", days=7 * 365)
    booking(db, "met-long-ago", days_ago=400)
    booking(db, "met-recently", days_ago=10)
    for name, days in (("old", 200), ("recent", 100)):
        put(
            db,
            handoffs,
            request_id=f"h:{name}",
            conversation_key="5511900000001",
            status="closed",
            reason="customer",
            flow="menu",
            context="{}",
            requested_at=ago(days),
            ended_at=ago(days),
        )
    put(
        db,
        handoffs,
        request_id="h:open",
        conversation_key="5511900000002",
        status="waiting",
        reason="customer",
        flow="menu",
        context="{}",
        requested_at=ago(400),
    )
    for name, days, status in (("old", 31, "done"), ("new", 29, "done"), ("stuck", 90, "pending")):
        put(
            db,
            jobs,
            command_id=f"job:{name}",
            kind="create_charge",
            payload='{"payer_name": "Rui Alves"}',
            status=status,
            attempts=1,
            next_attempt_at=ago(days),
            created_at=ago(days),
            done_at=ago(days) if status == "done" else None,
        )
    for ref, days in (("export-old", 8), ("export-new", 6), ("qr-old", 31)):
        put(
            db,
            media_blobs,
            ref=ref,
            mime_type="application/json",
            filename="x",
            data=b"{}",
            created_at=ago(days),
        )
    for who, days in (("old", 1827), ("new", 1825)):
        put(db, audit_log, at=ago(days), who=who, action="login_failed")
    for subject, days in (("old", 184), ("new", 182)):
        put(db, login_attempts, subject=subject, success=0, at=ago(days))
    put(
        db,
        email_codes,
        client_id="c1",
        code_hash="h",
        salt="s",
        expires_at=ago(2),
        created_at=ago(2),
    )

    counts = purge(db.engine, NOW, RETENTION)

    assert keys(db, inbox, "message_id") == {"wamid.new"}
    assert keys(db, outbox, "seq") == {2, 3}
    assert keys(db, leads, "lead_id") == {"lead-paid", "lead-recent"}
    with db.engine.connect() as connection:
        answers = dict(connection.execute(select(leads.c.lead_id, leads.c.answers)).all())
        attendees = dict(
            connection.execute(select(bookings.c.booking_id, bookings.c.attendee_name)).all()
        )
    assert answers["lead-paid"] == "{}"  # its payment is kept, its answers are not
    assert "Rui Alves" in answers["lead-recent"]
    assert keys(db, payments, "txid") == {"DRB-5y-ago"}
    assert keys(db, payment_receipts, "txid") == {"DRB-5y-ago"}
    assert attendees == {"met-long-ago": ERASED, "met-recently": "Rui Alves"}
    assert keys(db, handoffs, "request_id") == {"h:recent", "h:open"}
    assert keys(db, jobs, "command_id") == {"job:new", "job:stuck"}
    assert keys(db, media_blobs, "ref") == {"export-new"}
    assert keys(db, audit_log, "who") == {"new"}
    assert keys(db, login_attempts, "subject") == {"new"}
    assert count(db, email_codes) == 0
    assert counts["inbox"] == 1
    assert counts["payments"] == 1

    assert purge(db.engine, NOW, RETENTION)["inbox"] == 0  # a second run finds nothing


def test_a_silent_conversation_goes_and_its_user_starts_afresh(db: Database) -> None:
    conversation(db, "5511900000003", silent_days=181, seq=2)
    message(db, "5511900000003", 1, days=181)
    message(db, "5511900000003", 2, days=181)
    conversation(db, "5511900000004", silent_days=181, seq=1)
    message(db, "5511900000004", 1, days=181, status="pending")  # not sent yet: stays
    conversation(db, "5511900000005", silent_days=10)

    counts = purge(db.engine, NOW, RETENTION)

    assert counts["conversations"] == 1
    assert keys(db, conversations, "key") == {"5511900000004", "5511900000005"}
    # the same user writes again: a first contact, its messages numbered from 1 without a clash
    sender = Sender(user_id=None, wa_id="5511900000003", profile_name="Rui")
    event = TextReceived(message_id="wamid.back", sender=sender, timestamp=NOW, body="oi")
    payload = payloads.text_message("wamid.back", "5511900000003", "oi", int(NOW.timestamp()))
    taken = take_in(db.engine, event, payload, NOW, Policy())
    assert taken.replies == 2  # the greeting with the privacy notice, and the menu
    with db.engine.connect() as connection:
        seqs = connection.execute(
            select(outbox.c.seq).where(outbox.c.conversation_key == "5511900000003")
        ).scalars()
        assert sorted(seqs) == [1, 2, 3]


def test_the_sweep_runs_once_an_hour(db: Database) -> None:
    clock = [NOW]
    sweep = RetentionPurge(db, RETENTION, every=timedelta(hours=1), clock=lambda: clock[0])
    received(db, "wamid.a", "5511900000001", days=200)
    asyncio.run(sweep.sweep())
    assert count(db, inbox) == 0
    received(db, "wamid.b", "5511900000001", days=200)
    clock[0] = NOW + timedelta(minutes=59)
    asyncio.run(sweep.sweep())
    assert count(db, inbox) == 1  # not yet: the last run was less than an hour ago
    clock[0] = NOW + timedelta(minutes=61)
    asyncio.run(sweep.sweep())
    assert count(db, inbox) == 0


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [
        ("DRESBACH_RETENTION_PAYMENTS_DAYS", "1825", "CTN"),
        ("DRESBACH_RETENTION_ACCESS_LOG_DAYS", "90", "Marco Civil"),
        ("DRESBACH_RETENTION_INBOX_DAYS", "3", "7 days"),
    ],
)
def test_a_retention_shorter_than_the_law_or_meta_allow_stops_start_up(
    variable: str, value: str, why: str
) -> None:
    with pytest.raises(SettingsError, match=why):
        load_settings({variable: value}, env_file=None)


def test_retention_settings_reach_the_purge() -> None:
    settings = load_settings(
        {
            "DRESBACH_SANDBOX": "1",
            "DRESBACH_RETENTION_INBOX_DAYS": "30",
            "DRESBACH_RETENTION_PAYMENTS_DAYS": "2000",
        },
        env_file=None,
    )
    assert settings.retention.inbox == timedelta(days=30)
    assert settings.retention.payments == timedelta(days=2000)
    assert settings.retention.access_log == timedelta(days=183)


def test_login_counters_and_locks_go_a_day_after_they_stop_mattering(db: Database) -> None:
    """A count of failures or a lock is kept a day after its window or lock ended, then goes
    (a name tried once at the console leaves nothing behind for long)."""
    put(db, login_locks, subject="lock-old", failed_logins=0, locked_until=ago(1.1))
    put(db, login_locks, subject="lock-recent", failed_logins=0, locked_until=ago(0.9))
    put(
        db,
        login_locks,
        subject="count-old",
        failed_logins=2,
        first_failed_at=ago(1.1),
        locked_until=ago(1.1),
    )
    put(
        db,
        login_locks,
        subject="count-recent",
        failed_logins=2,
        first_failed_at=ago(0.5),
        locked_until=ago(2),
    )
    counts = purge(db.engine, NOW, RETENTION)
    assert keys(db, login_locks, "subject") == {"lock-recent", "count-recent"}
    assert counts["login_locks"] == 2


def test_files_sent_go_like_the_inbox_and_a_receipt_with_its_payment(db: Database) -> None:
    payment(db, "DRB-5y-ago", "lead-paid", days=5 * 365 + 30)
    payment(db, "DRB-7y-ago", "lead-gone", days=7 * 365)
    with db.engine.begin() as connection:
        for txid in ("DRB-5y-ago", "DRB-7y-ago"):
            connection.execute(
                update(payment_receipts)
                .where(payment_receipts.c.txid == txid)
                .values(media_id=f"receipt-{txid}")
            )
    files = (
        ("photo-old", 181, None),
        ("photo-new", 179, None),
        ("receipt-DRB-5y-ago", 5 * 365 + 30, "payment"),
        ("receipt-DRB-7y-ago", 7 * 365, "payment"),
    )
    for media_id, days, kept_with in files:
        put(
            db,
            inbound_media,
            media_id=media_id,
            message_id=f"wamid.{media_id}",
            conversation_key="5511900000001",
            kind="image",
            mime_type="image/jpeg",
            status="kept",
            data=b"sealed:b1:...",
            kept_with=kept_with,
            created_at=ago(days),
        )

    counts = purge(db.engine, NOW, RETENTION)

    assert keys(db, inbound_media, "media_id") == {"photo-new", "receipt-DRB-5y-ago"}
    assert counts["inbound_media"] == 1
    assert counts["receipt_files"] == 1
