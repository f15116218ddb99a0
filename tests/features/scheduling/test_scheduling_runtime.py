"""Scheduling in the runtime, on SQLite and PostgreSQL, with the internal calendar and with a
real Radicale: free slots, one winner per slot, cancellation, rescheduling, reminders, and every
outcome delivered to the conversation once.

Until the scheduling flow exists the conversation has no rule for these events, so what it
received is read from the inbox (every internal event is recorded there) and the bookings table.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import pytest
from icalendar import Calendar as ICalendar
from sqlalchemy import select

from dresbach.features.scheduling.adapters.caldav_calendar import CalDavCalendar
from dresbach.features.scheduling.adapters.calendar_internal import InternalCalendar
from dresbach.features.scheduling.bookings import NewBooking, insert_booking
from dresbach.features.scheduling.model import (
    BookSlot,
    CancelBooking,
    FindSlots,
    SchedulingRules,
    Slot,
)
from dresbach.features.scheduling.ports import Calendar
from dresbach.features.scheduling.service import SchedulingService, list_bookings
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel.commands import RecordLead
from dresbach.kernel.hours import WorkingHours
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.store.database import Database, migrate, utc
from dresbach.platform.store.schema import bookings, inbox, jobs, leads, media_blobs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import apply_commands
from dresbach.platform.work.jobs import Job, JobRunner
from tests.conftest import _truncate
from tests.support.radicale import FlakyProxy, Radicale
from tests.support.servers import serve_in_thread

SEALER = Sealer.from_text("66" * 32)

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # Wednesday 09:00 in São Paulo
KEY = "BR.5511"
RULES = SchedulingRules(
    hours=WorkingHours(days_off=frozenset({date(2026, 11, 23)})),  # Monday 23/11 off
    meeting=timedelta(minutes=60),
    buffer=timedelta(minutes=15),
    notice=timedelta(hours=4),
    horizon=timedelta(days=21),
    location="Reunião online",
)
POLICY = Policy(scheduling=RULES)


def at(day: int, hour: int, minute: int = 0) -> str:
    """A slot id from São Paulo wall-clock time in November 2026 (UTC-3)."""
    start = datetime(2026, 11, day, hour + 3, minute, tzinfo=UTC)
    return Slot(start=start, end=start + RULES.meeting).id


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Scheduling:
    """The service on one database, with the inbox and bookings to read back."""

    def __init__(self, db: Database, calendar: Calendar) -> None:
        self.db, self.clock = db, Clock()
        self.pipeline = Pipeline(
            db=db, policy=POLICY, sealer=SEALER, hooks=STEP_HOOKS, clock=self.clock
        )
        self.service = SchedulingService(db, self.pipeline, calendar, POLICY, clock=self.clock)
        with db.engine.begin() as connection:
            apply_commands(connection, KEY, [RecordLead(lead_id="lead-1", status="paid")], NOW)

    def run(self, kind: str, command: Any, key: str = KEY) -> None:
        asyncio.run(getattr(self.service, kind)(job(command, kind, key)))

    def find(self, command_id: str = "c1:find", after: str | None = None) -> list[str]:
        self.run("find_slots", FindSlots(command_id=command_id, lead_id="lead-1", after=after))
        return list(self.received("slots_found")[-1]["slot_ids"])

    def book(self, booking_id: str, slot_id: str, replaces: str | None = None) -> None:
        self.run("book_slot", book(booking_id, slot_id, replaces))

    def received(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(select(inbox).order_by(inbox.c.id)).mappings().all()
        return [
            {"kind": r["kind"], **orjson.loads(r["payload"])}
            for r in rows
            if kind is None or r["kind"] == kind
        ]

    def kinds(self) -> list[str]:
        return [r["kind"] for r in self.received()]

    def booking(self, booking_id: str) -> dict[str, Any]:
        with self.db.engine.connect() as connection:
            row = connection.execute(
                select(bookings).where(bookings.c.booking_id == booking_id)
            ).mappings()
            return dict(row.one())

    def lead_status(self) -> str:
        with self.db.engine.connect() as connection:
            return str(
                connection.execute(
                    select(leads.c.status).where(leads.c.lead_id == "lead-1")
                ).scalar_one()
            )


def job(command: Any, kind: str, key: str = KEY) -> Job:
    return Job(
        id=1,
        command_id=command.command_id,
        kind=kind,
        conversation_key=key,
        payload=orjson.loads(orjson.dumps(asdict(command))),
        attempts=0,
    )


def book(booking_id: str, slot_id: str, replaces: str | None = None) -> BookSlot:
    return BookSlot(
        command_id=f"{booking_id}:cmd",
        booking_id=booking_id,
        lead_id="lead-1",
        slot_id=slot_id,
        name="Ana Souza",
        email="ana.souza@example.com.br",
        replaces=replaces,
    )


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


@pytest.fixture
def internal(db: Database) -> Scheduling:
    return Scheduling(db, InternalCalendar())


def caldav(radicale: Radicale, calendar_url: str, origin: str | None = None) -> CalDavCalendar:
    base = origin or radicale.origin
    return CalDavCalendar(
        url=f"{base}/",
        username=radicale.user,
        password=radicale.password,
        calendar=calendar_url.replace(radicale.origin, base),
        timeout=5,
    )


def hand_made(uid: str, start: str, end: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Thunderbird//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261101T120000Z\r\nSUMMARY:Reunião interna\r\n"
        f"DTSTART:{start}\r\nDTEND:{end}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


# ---- free slots -----------------------------------------------------------------------------


def test_free_slots_skip_booked_and_calendar_busy_times_holidays_and_days_off(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    s = Scheduling(db, caldav(radicale, calendar_url))
    # the bot says: the next free times, from 4 hours ahead (13:00 today), 75 minutes apart
    assert s.find() == [at(18, 14), at(18, 15, 15), at(18, 16, 30), at(19, 9), at(19, 10, 15)]
    s.book("other-customer", at(18, 15, 15))
    radicale.put(  # a consultant blocks Thursday 09:00-10:00 in their own calendar app
        calendar_url, "interna.ics", hand_made("interna", "20261119T120000Z", "20261119T130000Z")
    )
    assert s.find("c2:find") == [
        at(18, 14),
        at(18, 16, 30),
        at(19, 10, 15),
        at(19, 11, 30),
        at(19, 12, 45),
    ]
    # "outros horários": after Thursday 16:30 comes Tuesday 24/11, as Friday 20/11 is a national
    # holiday, then the weekend, and Monday 23/11 is a configured day off
    assert s.find("c3:find", after=at(19, 16, 30)) == [
        at(24, 9),
        at(24, 10, 15),
        at(24, 11, 30),
        at(24, 12, 45),
        at(24, 14),
    ]
    assert s.kinds().count("slots_found") == 3
    assert s.received("slots_found")[0]["conversation_key"] == KEY


# ---- one winner per slot --------------------------------------------------------------------


def test_two_customers_choosing_the_same_slot_one_gets_it_the_other_is_told(
    internal: Scheduling,
) -> None:
    s = internal
    first, second = book("ana:book", at(18, 14)), book("bia:book", at(18, 14))

    async def both() -> None:
        await asyncio.gather(
            s.service.book_slot(job(first, "book_slot")),
            s.service.book_slot(job(second, "book_slot", key="BR.5599")),
        )

    asyncio.run(both())  # concurrently: on PostgreSQL two connections race for the index
    booked, taken = s.received("slot_booked"), s.received("slot_taken")
    assert (len(booked), len(taken)) == (1, 1)
    assert {booked[0]["booking_id"], taken[0]["booking_id"]} == {"ana:book", "bia:book"}
    assert taken[0]["slot_id"] == at(18, 14)
    with s.db.engine.connect() as connection:
        rows = connection.execute(select(bookings.c.booking_id, bookings.c.status)).all()
    assert [tuple(r) for r in rows] == [(booked[0]["booking_id"], "booked")]


def test_a_booking_holds_the_lead_and_stores_the_invitation(internal: Scheduling) -> None:
    s = internal
    s.book("ana:book", at(18, 14))
    (booked,) = s.received("slot_booked")
    assert (booked["booking_id"], booked["slot_id"]) == ("ana:book", at(18, 14))
    row = s.booking("ana:book")
    assert (row["status"], row["calendar"], row["ics_ref"]) == (
        "booked",
        "internal",
        booked["ics_ref"],
    )
    assert s.lead_status() == "scheduled"
    with s.db.engine.connect() as connection:
        blob = (
            connection.execute(select(media_blobs).where(media_blobs.c.ref == booked["ics_ref"]))
            .mappings()
            .one()
        )
    assert blob["filename"] == "diagnostico.ics"
    calendar = ICalendar.from_ical(blob["data"])
    (event,) = calendar.events
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == "ana:book"
    assert event.start == datetime(2026, 11, 18, 17, 0, tzinfo=UTC)
    assert str(event["attendee"]) == "mailto:ana.souza@example.com.br"
    assert str(event["location"]) == "Reunião online"
    # the flow records the lead as scheduled too: the same status, nothing undone
    with s.db.engine.begin() as connection:
        apply_commands(connection, KEY, [RecordLead(lead_id="lead-1", status="scheduled")], NOW)
    assert s.lead_status() == "scheduled"
    (listed,) = list_bookings(s.db.engine, "booked")
    assert (listed.start, listed.name, listed.email_masked, listed.status_pt, listed.lead_id) == (
        "quarta, 18/11, às 14h",
        "Ana Souza",
        "an*******@example.com.br",
        "agendada",
        "lead-1",
    )
    assert list_bookings(s.db.engine, "cancelled") == []


def test_a_slot_too_soon_or_outside_the_hours_is_answered_as_taken(internal: Scheduling) -> None:
    s = internal
    s.book("cedo:book", at(18, 9))  # 09:00 today: already now
    s.book("noite:book", at(18, 19))  # 19:00: after hours
    assert [r["booking_id"] for r in s.received("slot_taken")] == ["cedo:book", "noite:book"]
    assert list_bookings(s.db.engine) == []


def test_the_calendar_recheck_makes_a_hand_made_event_win(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    s = Scheduling(db, caldav(radicale, calendar_url))
    assert at(18, 14) in s.find()  # the bot offers 14:00
    radicale.put(  # meanwhile a consultant puts a meeting at 14:00 by hand
        calendar_url, "urgente.ics", hand_made("urgente", "20261118T170000Z", "20261118T173000Z")
    )
    s.book("ana:book", at(18, 14))  # the user picks 14:00
    assert [r["booking_id"] for r in s.received("slot_taken")] == ["ana:book"]
    assert s.received("slot_booked") == []
    assert list_bookings(db.engine) == []
    assert len(radicale.hrefs(calendar_url)) == 1  # only the consultant's own event
    assert s.lead_status() == "paid"


# ---- cancel and reschedule ------------------------------------------------------------------


def test_cancelling_frees_the_slot_and_removes_the_event(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    s = Scheduling(db, caldav(radicale, calendar_url))
    s.book("ana:book", at(18, 14))
    assert len(radicale.hrefs(calendar_url)) == 1
    assert at(18, 14) not in s.find()
    s.run(
        "cancel_booking",
        CancelBooking(command_id="c9:cancel", booking_id="ana:book", reason="customer"),
    )
    assert s.received("booking_cancelled")[0]["booking_id"] == "ana:book"
    row = s.booking("ana:book")
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "customer")
    assert row["cancelled_at"] is not None
    assert radicale.hrefs(calendar_url) == []
    assert s.lead_status() == "paid"  # awaiting a new time again
    assert at(18, 14) in s.find("c10:find")  # offered again


def test_rescheduling_replaces_the_old_booking_only_once_the_new_one_is_saved(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    s = Scheduling(db, caldav(radicale, calendar_url))
    s.book("first:book", at(18, 14))
    s.book("second:book", at(19, 10, 15), replaces="first:book")
    assert [r["booking_id"] for r in s.received("slot_booked")] == ["first:book", "second:book"]
    assert s.booking("first:book")["status"] == "replaced"
    assert s.booking("second:book")["status"] == "booked"
    busy = asyncio.run(s.service.calendar.busy(NOW, NOW + timedelta(days=3)))
    assert busy == [
        (datetime(2026, 11, 19, 13, 15, tzinfo=UTC), datetime(2026, 11, 19, 14, 15, tzinfo=UTC))
    ]
    assert at(18, 14) in s.find()  # the old time is free again
    assert s.lead_status() == "scheduled"


def test_a_reschedule_to_a_taken_slot_keeps_the_old_booking(internal: Scheduling) -> None:
    s = internal
    s.book("first:book", at(18, 14))
    s.run(
        "book_slot",
        BookSlot(
            command_id="bia:cmd",
            booking_id="bia:book",
            lead_id="lead-2",
            slot_id=at(19, 9),
            name="Bia",
            email="bia@example.com",
        ),
        key="BR.5599",
    )
    s.book("second:book", at(19, 9), replaces="first:book")
    assert s.received("slot_taken")[-1]["booking_id"] == "second:book"
    assert s.booking("first:book")["status"] == "booked"


# ---- reminders ------------------------------------------------------------------------------


def test_reminders_24_h_and_1_h_before_fire_once_each(internal: Scheduling) -> None:
    s = internal
    s.book("ana:book", at(24, 10, 15))  # Tuesday 24/11 10:15
    start = datetime(2026, 11, 24, 13, 15, tzinfo=UTC)

    def sweep_at(moment: datetime) -> list[tuple[str, int]]:
        s.clock.now = moment
        asyncio.run(s.service.sweep())
        return [(r["booking_id"], int(r["hours_before"])) for r in s.received("meeting_reminder")]

    assert sweep_at(start - timedelta(hours=25)) == []
    assert sweep_at(start - timedelta(hours=24)) == [("ana:book", 24)]
    assert sweep_at(start - timedelta(hours=23, minutes=45)) == [("ana:book", 24)]
    assert sweep_at(start - timedelta(hours=2)) == [("ana:book", 24)]
    assert sweep_at(start - timedelta(minutes=59)) == [("ana:book", 24), ("ana:book", 1)]
    assert sweep_at(start - timedelta(minutes=30)) == [("ana:book", 24), ("ana:book", 1)]
    assert sweep_at(start + timedelta(minutes=5)) == [("ana:book", 24), ("ana:book", 1)]
    reminder = s.received("meeting_reminder")[0]
    assert (reminder["slot_id"], reminder["conversation_key"]) == (at(24, 10, 15), KEY)
    row = s.booking("ana:book")
    assert (utc(row["reminded_24h_at"]), utc(row["reminded_1h_at"])) == (
        start - timedelta(hours=24),
        start - timedelta(minutes=59),
    )


def test_a_booking_made_10_hours_ahead_gets_only_the_1_h_reminder(internal: Scheduling) -> None:
    s = internal
    s.clock.now = datetime(2026, 11, 19, 3, 0, tzinfo=UTC)  # Thursday 00:00 in São Paulo
    s.book("ana:book", at(19, 10, 15))  # 10:15, ten hours later
    start = datetime(2026, 11, 19, 13, 15, tzinfo=UTC)
    for moment in (s.clock.now, start - timedelta(hours=5), start - timedelta(minutes=55)):
        s.clock.now = moment
        asyncio.run(s.service.sweep())
    assert [int(r["hours_before"]) for r in s.received("meeting_reminder")] == [1]


def test_a_cancelled_booking_is_not_reminded(internal: Scheduling) -> None:
    s = internal
    s.book("ana:book", at(19, 10, 15))
    s.run(
        "cancel_booking",
        CancelBooking(command_id="x:cancel", booking_id="ana:book", reason="customer"),
    )
    s.clock.now = datetime(2026, 11, 19, 12, 30, tzinfo=UTC)
    asyncio.run(s.service.sweep())
    assert s.received("meeting_reminder") == []


# ---- re-runs and failures -------------------------------------------------------------------


def test_a_job_run_again_delivers_nothing_twice(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    s = Scheduling(db, caldav(radicale, calendar_url))
    cancel = CancelBooking(command_id="c:cancel", booking_id="ana:book", reason="customer")
    for _ in range(2):  # a worker died after the work, before marking the job done
        s.find()
        s.book("ana:book", at(18, 14))
    assert s.kinds() == ["slots_found", "slot_booked"]
    assert len(radicale.hrefs(calendar_url)) == 1
    for _ in range(2):
        s.run("cancel_booking", cancel)
    s.book("ana:book", at(18, 14))  # a late re-run does not bring a cancelled booking back
    assert s.kinds() == ["slots_found", "slot_booked", "booking_cancelled"]
    assert radicale.hrefs(calendar_url) == []
    assert [b.status for b in list_bookings(db.engine)] == ["cancelled"]


def test_a_calendar_that_fails_for_a_while_is_retried_without_a_second_booking(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    proxy = FlakyProxy(radicale.origin, fail_puts=2)  # the calendar server has a bad minute
    with serve_in_thread(proxy.app()) as origin:
        s = Scheduling(db, caldav(radicale, calendar_url, origin))
        runner = JobRunner(
            db,
            {"book_slot": s.service.book_slot},
            give_up={"book_slot": s.service.booking_failed},
            base_backoff=0.01,
            clock=s.clock,
        )
        with db.engine.begin() as connection:
            apply_commands(connection, KEY, [book("ana:book", at(18, 14))], NOW)
        for _ in range(3):
            asyncio.run(runner.run_once())
            s.clock.now += timedelta(seconds=5)
    assert proxy.puts_refused == 2
    assert [r["booking_id"] for r in s.received("slot_booked")] == ["ana:book"]
    assert len(list_bookings(db.engine)) == 1
    assert len(radicale.hrefs(calendar_url)) == 1
    with db.engine.connect() as connection:
        (status, attempts) = connection.execute(
            select(jobs.c.status, jobs.c.attempts).where(jobs.c.kind == "book_slot")
        ).one()
        mails = connection.execute(select(jobs.c.kind).where(jobs.c.kind == "email_meeting")).all()
    assert (status, attempts) == ("done", 3)
    assert len(mails) == 1  # the invitation is e-mailed once, however often the job ran


def test_a_calendar_that_refuses_the_booking_frees_the_slot_and_says_so(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    read_only = caldav(radicale.as_user("consultora"), calendar_url)  # may read, not write
    s = Scheduling(db, read_only)
    runner = JobRunner(
        db,
        {"book_slot": s.service.book_slot},
        give_up={"book_slot": s.service.booking_failed},
        clock=s.clock,
    )
    with db.engine.begin() as connection:
        apply_commands(connection, KEY, [book("ana:book", at(18, 14))], NOW)
    asyncio.run(runner.run_once())
    assert s.received("slot_booked") == []
    (failed,) = s.received("scheduling_failed")
    assert "403" in failed["reason"]
    row = s.booking("ana:book")
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "calendar_failed")
    assert s.lead_status() == "paid"
    assert at(18, 14) in s.find()  # the slot is free for everyone again


def test_slots_that_cannot_be_found_end_in_scheduling_failed(db: Database) -> None:
    from tests.support.servers import free_port

    unreachable = CalDavCalendar(
        url=f"http://127.0.0.1:{free_port()}/", username="x", password="y", timeout=1
    )
    s = Scheduling(db, unreachable)
    runner = JobRunner(
        db,
        {"find_slots": s.service.find_slots},
        give_up={"find_slots": s.service.slots_failed},
        max_attempts=2,
        base_backoff=0.01,
        clock=s.clock,
    )
    with db.engine.begin() as connection:
        apply_commands(connection, KEY, [FindSlots(command_id="c:find", lead_id="lead-1")], NOW)
    for _ in range(2):
        asyncio.run(runner.run_once())
        s.clock.now += timedelta(seconds=5)
    assert s.kinds() == ["scheduling_failed"]


def test_on_postgresql_the_unique_index_settles_a_race_our_check_cannot_see(
    postgres_database: str,
) -> None:
    """Two bookings for one start, the first not yet committed when the second looks: the
    second's insert waits on the index, and loses when the first commits. (SQLite takes one
    writer at a time, so there the second simply sees the first.)"""
    _truncate(postgres_database)
    db = Database(postgres_database)
    start = datetime(2026, 11, 18, 17, 0, tzinfo=UTC)
    second = NewBooking(
        booking_id="bia:book",
        conversation_key="BR.5599",
        lead_id="lead-2",
        slot=Slot(start=start, end=start + RULES.meeting),
        name="Bia",
        email="bia@example.com",
        calendar="internal",
        replaces=None,
    )
    outcome: dict[str, bool] = {}
    try:
        with db.engine.connect() as first:
            transaction = first.begin()
            first.execute(
                bookings.insert().values(
                    booking_id="ana:book",
                    conversation_key=KEY,
                    lead_id="lead-1",
                    start_at=start,
                    end_at=start + RULES.meeting,
                    status="booked",
                    attendee_name="Ana",
                    attendee_email="ana@example.com",
                    calendar="internal",
                    created_at=NOW,
                )
            )
            racer = threading.Thread(
                target=lambda: outcome.update(
                    held=insert_booking(db.engine, second, RULES.buffer, NOW)
                )
            )
            racer.start()
            racer.join(timeout=0.5)
            assert racer.is_alive()  # blocked on the unique index, not refused by our check
            transaction.commit()
            racer.join(timeout=10)
        assert outcome == {"held": False}
        assert [b.booking_id for b in list_bookings(db.engine)] == ["ana:book"]
    finally:
        db.close()


def test_bootstrap_wires_the_caldav_calendar_the_jobs_and_the_sweep(
    sqlite_url: str, radicale: Radicale, calendar_url: str
) -> None:
    from dresbach.bootstrap import build
    from dresbach.config import Secret, Settings

    container = build(
        Settings(
            sandbox=True,
            database_url=sqlite_url,
            calendar="caldav",
            caldav_url=f"{radicale.origin}/",
            caldav_user=radicale.user,
            caldav_password=Secret(radicale.password),
            caldav_calendar=calendar_url,
        )
    )
    s = Scheduling(container.db, container.scheduling.calendar)

    async def run() -> None:
        with container.db.engine.begin() as connection:
            apply_commands(connection, KEY, [FindSlots(command_id="w:find", lead_id="lead-1")], NOW)
        await container.jobs.drain()
        first = s.received("slots_found")[0]["slot_ids"][0]
        with container.db.engine.begin() as connection:
            apply_commands(connection, KEY, [book("ana:book", first)], NOW)
        await container.jobs.drain()
        assert container.workers.sweep is not None
        await container.workers.sweep()  # payments, hand-offs and reminders, each guarded
        await container.aclose()

    asyncio.run(run())
    assert container.scheduling.calendar.name == "caldav"
    scheduling_kinds = {"slots_found", "slot_booked", "slot_taken", "scheduling_failed"}
    assert [k for k in s.kinds() if k in scheduling_kinds] == ["slots_found", "slot_booked"]
    assert len(radicale.hrefs(calendar_url)) == 1


def test_a_slot_id_that_is_not_one_fails_at_once_and_says_so(internal: Scheduling) -> None:
    s = internal
    runner = JobRunner(
        s.db,
        {"book_slot": s.service.book_slot},
        give_up={"book_slot": s.service.booking_failed},
        clock=s.clock,
    )
    with s.db.engine.begin() as connection:
        apply_commands(connection, KEY, [book("ana:book", "amanhã de manhã")], NOW)
    asyncio.run(runner.run_once())
    assert s.kinds() == ["scheduling_failed"]
    assert list_bookings(s.db.engine) == []
    with s.db.engine.connect() as connection:
        assert connection.execute(select(jobs.c.status)).scalar_one() == "failed"


def test_a_booking_given_up_after_lost_answers_leaves_no_event_behind(
    db: Database, radicale: Radicale, calendar_url: str
) -> None:
    proxy = FlakyProxy(radicale.origin, lose_puts=2)  # stored, but we never hear so
    with serve_in_thread(proxy.app()) as origin:
        s = Scheduling(db, caldav(radicale, calendar_url, origin))
        runner = JobRunner(
            db,
            {"book_slot": s.service.book_slot},
            give_up={"book_slot": s.service.booking_failed},
            max_attempts=2,
            base_backoff=0.01,
            clock=s.clock,
        )
        with db.engine.begin() as connection:
            apply_commands(connection, KEY, [book("ana:book", at(18, 14))], NOW)
        for _ in range(2):
            asyncio.run(runner.run_once())
            s.clock.now += timedelta(seconds=5)
    assert proxy.puts_refused == 2
    assert s.kinds() == ["scheduling_failed"]
    assert s.booking("ana:book")["status"] == "cancelled"
    assert radicale.hrefs(calendar_url) == []  # the event that did arrive was taken back


def test_a_booking_made_after_the_customer_left_the_funnel_takes_the_contact_from_the_lead(
    internal: Scheduling,
) -> None:
    s = internal
    with s.db.engine.begin() as connection:
        answers = {"name": "Maria Souza", "email": "maria@boamassa.com.br"}
        apply_commands(
            connection, KEY, [RecordLead(lead_id="lead-1", status="paid", answers=answers)], NOW
        )
    command = BookSlot(
        command_id="late:cmd",
        booking_id="late:book",
        lead_id="lead-1",
        slot_id=at(18, 14),
        name="",
        email="",
    )
    s.run("book_slot", command)
    row = s.booking("late:book")
    assert (row["attendee_name"], row["attendee_email"]) == ("Maria Souza", "maria@boamassa.com.br")
