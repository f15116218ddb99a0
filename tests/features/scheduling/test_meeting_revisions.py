"""The meeting the customer holds in their own calendar, on SQLite and PostgreSQL, with a real
Radicale and a real SMTP server (aiosmtpd): the invitation by e-mail as a calendar message, a
reschedule that moves the one event (same UID, next SEQUENCE), a cancellation that takes it away
(METHOD:CANCEL), the meeting link from the calendar server or from an operator, one meeting
length everywhere, the receipt by e-mail, and the consultant's hand-off showing the meeting as
it is now.

What the conversation receives is read from the inbox (every internal event is recorded there);
what the customer's calendar app would get is parsed with icalendar, from the chat's document
(a media blob) and from the e-mail's attachment.
"""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar as ICalendar
from sqlalchemy import select

from dresbach.features.handoff.service import HandOffService
from dresbach.features.scheduling.adapters.caldav_calendar import CalDavCalendar
from dresbach.features.scheduling.adapters.calendar_internal import InternalCalendar
from dresbach.features.scheduling.model import BookSlot, CancelBooking, SchedulingRules, Slot
from dresbach.features.scheduling.ports import Calendar
from dresbach.features.scheduling.service import SchedulingService
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.features.techops.mail import TechOpsMail
from dresbach.kernel.commands import EmailReceipt, RecordLead, RequestHandOff
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.mail import SmtpMailer
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import audit_log, bookings, inbox, media_blobs, payments
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import apply_commands
from dresbach.platform.work.jobs import JobRunner
from tests.support.radicale import FlakyProxy, Radicale
from tests.support.servers import free_port, serve_in_thread

SEALER = Sealer.from_text("66" * 32)

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # Wednesday 09:00 in São Paulo
KEY = "BR.5511"
RULES = SchedulingRules(meeting=timedelta(minutes=60))
POLICY = Policy(scheduling=RULES)
EMAIL = "ana.souza@example.com.br"


def at(day: int, hour: int, minute: int = 0, rules: SchedulingRules = RULES) -> str:
    """A slot id from São Paulo wall-clock time in November 2026 (UTC-3)."""
    start = datetime(2026, 11, day, hour + 3, minute, tzinfo=UTC)
    return Slot(start=start, end=start + rules.meeting).id


@dataclass
class Inbox:
    """What the SMTP server received, parsed as a mail app would."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Meeting:
    """Scheduling, the mails and the hand-off on one database, with the job worker."""

    def __init__(
        self, db: Database, calendar: Calendar, smtp_port: int, policy: Policy = POLICY
    ) -> None:
        self.db, self.clock, self.policy = db, Clock(), policy
        self.pipeline = Pipeline(
            db=db, policy=policy, sealer=SEALER, hooks=STEP_HOOKS, clock=self.clock
        )
        self.scheduling = SchedulingService(db, self.pipeline, calendar, policy, clock=self.clock)
        mailer = SmtpMailer(
            host="127.0.0.1",
            port=smtp_port,
            sender="Dresbach <agenda@dresbach.com.br>",
            starttls=False,
        )
        self.mail = TechOpsMail(db, mailer, policy, clock=self.clock)
        self.handoff = HandOffService(db, self.pipeline, policy, None, clock=self.clock)
        self.jobs = JobRunner(
            db,
            {
                "book_slot": self.scheduling.book_slot,
                "cancel_booking": self.scheduling.cancel_booking,
                "save_calendar_event": self.scheduling.save_event,
                "email_meeting": self.mail.email_meeting,
                "email_receipt": self.mail.email_receipt,
                "handoff": self.handoff.open,
            },
            give_up={"book_slot": self.scheduling.booking_failed},
            clock=self.clock,
        )
        answers = {"name": "Ana Souza", "email": EMAIL, "company": "Padaria Boa Massa"}
        self.core_asks(RecordLead(lead_id="lead-1", status="paid", answers=answers))

    def core_asks(self, *commands: Any) -> None:
        """The conversation core gave these commands; the worker runs every job they made."""
        with self.db.engine.begin() as connection:
            apply_commands(connection, KEY, list(commands), self.clock())
        asyncio.run(self.jobs.drain())

    def book(self, booking_id: str, slot_id: str, replaces: str | None = None) -> None:
        self.core_asks(
            BookSlot(
                command_id=f"{booking_id}:cmd",
                booking_id=booking_id,
                lead_id="lead-1",
                slot_id=slot_id,
                name="Ana Souza",
                email=EMAIL,
                replaces=replaces,
            )
        )

    def cancel(self, booking_id: str) -> None:
        self.core_asks(
            CancelBooking(
                command_id=f"{booking_id}:cancel", booking_id=booking_id, reason="customer"
            )
        )

    def received(self, kind: str) -> list[dict[str, Any]]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                select(inbox).where(inbox.c.kind == kind).order_by(inbox.c.id)
            ).mappings()
            return [orjson.loads(r["payload"]) for r in rows]

    def document(self, ref: str) -> ICalendar:
        """The `.ics` the chat sends as a document, as the customer's phone opens it."""
        with self.db.engine.connect() as connection:
            data = connection.execute(
                select(media_blobs.c.data).where(media_blobs.c.ref == ref)
            ).scalar_one()
        return ICalendar.from_ical(bytes(data))

    def booking(self, booking_id: str) -> dict[str, Any]:
        with self.db.engine.connect() as connection:
            return dict(
                connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
                .mappings()
                .one()
            )


def caldav(radicale: Radicale, calendar_url: str, origin: str | None = None) -> CalDavCalendar:
    base = origin or radicale.origin
    return CalDavCalendar(
        url=f"{base}/",
        username=radicale.user,
        password=radicale.password,
        calendar=calendar_url.replace(radicale.origin, base),
        timeout=5,
    )


def the_event(calendar: ICalendar) -> Any:
    (event,) = calendar.events
    return event


def invitation_of(message: email.message.EmailMessage) -> tuple[str, ICalendar]:
    """The iTIP method of the mail's calendar part, and the calendar of its `.ics` attachment
    (both must say the same)."""
    calendar_parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    (inline,) = calendar_parts
    method = str(inline.get_param("method"))
    (attached,) = [p for p in message.iter_attachments() if p.get_filename()]
    assert attached.get_content_type() == "application/ics"
    from_file = ICalendar.from_ical(attached.get_payload(decode=True))
    assert ICalendar.from_ical(inline.get_content()) == from_file
    return method, from_file


def body_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


# ---- reschedule and cancel leave no ghost (#10.7), the invitation by e-mail (#10.4) ---------


def test_a_reschedule_moves_the_one_meeting_and_a_cancellation_takes_it_away(
    db: Database, radicale: Radicale, calendar_url: str, smtp: tuple[Inbox, int]
) -> None:
    mailbox, port = smtp
    m = Meeting(db, caldav(radicale, calendar_url), port)

    m.book("first:book", at(19, 10, 15))  # Thursday 10:15
    (booked,) = m.received("slot_booked")
    first = the_event(m.document(booked["ics_ref"]))
    assert (str(first["uid"]), int(first["sequence"])) == ("first:book", 0)
    (invited,) = mailbox.messages
    assert invited["To"] == EMAIL
    assert invited["Subject"] == (
        "Convite: diagnóstico Tech Ops marcado para quinta, 19/11/2026, às 10h15 (horário de "
        "Brasília)"
    )
    method, mailed = invitation_of(invited)
    assert method == "REQUEST"
    assert mailed["method"] == "REQUEST"
    assert str(the_event(mailed)["uid"]) == "first:book"
    assert "Quando: quinta, 19/11/2026, às 10h15" in body_of(invited)
    assert len(radicale.hrefs(calendar_url)) == 1

    # the customer moves it to Tuesday 24/11 14:00
    m.clock.now += timedelta(minutes=5)
    m.book("second:book", at(24, 14), replaces="first:book")
    moved_news = m.received("slot_booked")[-1]
    moved = the_event(m.document(moved_news["ics_ref"]))
    assert str(moved["uid"]) == "first:book"  # the same meeting: calendar apps replace it
    assert int(moved["sequence"]) == 1
    assert moved.start == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    assert m.booking("first:book")["status"] == "replaced"
    assert len(mailbox.messages) == 2
    assert mailbox.messages[1]["Subject"].startswith(
        "Reunião remarcada: diagnóstico Tech Ops agora para terça, 24/11/2026, às 14h"
    )
    method, mailed = invitation_of(mailbox.messages[1])
    assert (method, str(the_event(mailed)["uid"]), int(the_event(mailed)["sequence"])) == (
        "REQUEST",
        "first:book",
        1,
    )
    # the consultants' calendar holds one event, moved, not two
    assert len(radicale.hrefs(calendar_url)) == 1
    busy = asyncio.run(m.scheduling.calendar.busy(NOW, NOW + timedelta(days=10)))
    assert busy == [
        (datetime(2026, 11, 24, 17, 0, tzinfo=UTC), datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    ]

    # cancelled: the chat and the e-mail carry the cancellation of that same meeting
    m.cancel("second:book")
    (cancelled,) = m.received("booking_cancelled")
    gone = m.document(cancelled["ics_ref"])
    assert gone["method"] == "CANCEL"
    assert (str(the_event(gone)["uid"]), int(the_event(gone)["sequence"])) == ("first:book", 2)
    assert str(the_event(gone)["status"]) == "CANCELLED"
    assert len(mailbox.messages) == 3
    method, mailed = invitation_of(mailbox.messages[2])
    assert method == "CANCEL"
    assert mailed["method"] == "CANCEL"
    assert (str(the_event(mailed)["uid"]), int(the_event(mailed)["sequence"])) == ("first:book", 2)
    assert "foi cancelada e o horário foi liberado" in body_of(mailbox.messages[2])
    assert radicale.hrefs(calendar_url) == []

    m.cancel("second:book")  # the same job again: nothing twice
    assert len(m.received("booking_cancelled")) == 1
    assert len(mailbox.messages) == 3


def test_a_reschedule_the_calendar_refuses_puts_the_meeting_back(
    db: Database, radicale: Radicale, calendar_url: str, smtp: tuple[Inbox, int]
) -> None:
    """The moved event shares the meeting's UID: a new time the calendar never took must not
    take the meeting's only event with it."""
    _mailbox, port = smtp
    m = Meeting(db, caldav(radicale, calendar_url), port)
    m.book("first:book", at(19, 10, 15))
    proxy = FlakyProxy(radicale.origin, lose_puts=8)  # stored, but we never hear so
    with serve_in_thread(proxy.app()) as origin:
        m.scheduling.calendar = caldav(radicale, calendar_url, origin)
        m.jobs.max_attempts, m.jobs.base_backoff = 2, 0.01
        with m.db.engine.begin() as connection:
            apply_commands(
                connection,
                KEY,
                [
                    BookSlot(
                        command_id="second:cmd",
                        booking_id="second:book",
                        lead_id="lead-1",
                        slot_id=at(24, 14),
                        name="Ana Souza",
                        email=EMAIL,
                        replaces="first:book",
                    )
                ],
                m.clock(),
            )
        for _ in range(2):
            asyncio.run(m.jobs.run_once())
            m.clock.now += timedelta(seconds=5)
    assert m.received("scheduling_failed")
    assert m.booking("first:book")["status"] == "booked"
    assert m.booking("second:book")["status"] == "cancelled"
    busy = asyncio.run(caldav(radicale, calendar_url).busy(NOW, NOW + timedelta(days=10)))
    assert busy == [
        (datetime(2026, 11, 19, 13, 15, tzinfo=UTC), datetime(2026, 11, 19, 14, 15, tzinfo=UTC))
    ]


# ---- the meeting link (#10.4) -----------------------------------------------------------------


def test_a_calendar_that_attaches_a_conference_gives_the_meeting_its_link(
    db: Database, radicale: Radicale, calendar_url: str, smtp: tuple[Inbox, int]
) -> None:
    mailbox, port = smtp
    room = "https://cloud.example.com/call/k7x2mq"
    proxy = FlakyProxy(radicale.origin, conference=room)  # a server that makes a room per event
    with serve_in_thread(proxy.app()) as origin:
        m = Meeting(db, caldav(radicale, calendar_url, origin), port)
        m.book("ana:book", at(19, 10, 15))
    (booked,) = m.received("slot_booked")
    assert booked["meeting_url"] == room
    assert m.booking("ana:book")["meeting_url"] == room
    event = the_event(m.document(booked["ics_ref"]))
    assert str(event["url"]) == room
    assert str(event["location"]) == f"Reunião online: {room}"
    assert f"Onde: Reunião online, pelo link {room}" in body_of(mailbox.messages[0])


def test_an_operator_sets_the_link_and_the_customer_gets_it_everywhere(
    db: Database, radicale: Radicale, calendar_url: str, smtp: tuple[Inbox, int]
) -> None:
    mailbox, port = smtp
    m = Meeting(db, caldav(radicale, calendar_url), port)
    m.book("ana:book", at(19, 10, 15))
    (booked,) = m.received("slot_booked")
    assert booked["meeting_url"] == ""
    assert "A nossa equipe ainda vai criar o link" in body_of(mailbox.messages[0])

    link = "https://meet.google.com/abc-defg-hij"
    refused = asyncio.run(m.scheduling.set_link("ana:book", "meet.google.com/abc", "carla"))
    assert refused == "Informe um link que comece com https://, sem espaços."
    assert asyncio.run(m.scheduling.set_link("ana:book", link, "carla")) is None
    asyncio.run(m.jobs.drain())

    (told,) = m.received("meeting_link_set")
    assert (told["meeting_url"], told["booking_id"]) == (link, "ana:book")
    event = the_event(m.document(told["ics_ref"]))
    assert (str(event["uid"]), int(event["sequence"]), str(event["url"])) == ("ana:book", 1, link)
    assert len(mailbox.messages) == 2
    assert mailbox.messages[1]["Subject"].startswith("Link da reunião: diagnóstico Tech Ops")
    assert f"Onde: Reunião online, pelo link {link}" in body_of(mailbox.messages[1])
    method, mailed = invitation_of(mailbox.messages[1])
    assert (method, int(the_event(mailed)["sequence"])) == ("REQUEST", 1)
    # the consultants' calendar has the link too (the job that writes it ran)
    with radicale.client() as http:
        (href,) = radicale.hrefs(calendar_url)
        stored = ICalendar.from_ical(http.get(f"{radicale.origin}{href}").content)
    assert str(the_event(stored)["url"]) == link
    with db.engine.connect() as connection:
        (who, detail) = connection.execute(
            select(audit_log.c.who, audit_log.c.detail).where(
                audit_log.c.action == "meeting_link_set"
            )
        ).one()
    assert who == "carla"
    assert link in detail

    # a reschedule keeps the meeting's link
    m.book("moved:book", at(24, 14), replaces="ana:book")
    moved = m.received("slot_booked")[-1]
    assert moved["meeting_url"] == link
    assert int(the_event(m.document(moved["ics_ref"]))["sequence"]) == 2


# ---- one length (#10.6) -------------------------------------------------------------------------


def test_the_invitation_lasts_the_meeting_length_of_the_settings(
    db: Database, smtp: tuple[Inbox, int]
) -> None:
    mailbox, port = smtp
    rules = SchedulingRules(meeting=timedelta(minutes=90))
    m = Meeting(db, InternalCalendar(), port, Policy(scheduling=rules))
    m.book("ana:book", at(19, 10, 15, rules))
    (booked,) = m.received("slot_booked")
    event = the_event(m.document(booked["ics_ref"]))
    assert event.end - event.start == timedelta(minutes=90)
    assert "Duração: 1 hora e 30 minutos" in body_of(mailbox.messages[0])


# ---- the receipt (#10.4) -------------------------------------------------------------------


def test_the_receipt_of_a_paid_diagnosis_is_emailed(db: Database, smtp: tuple[Inbox, int]) -> None:
    mailbox, port = smtp
    m = Meeting(db, InternalCalendar(), port)
    paid_at = datetime(2026, 11, 18, 12, 30, tzinfo=UTC)
    with db.engine.begin() as connection:
        connection.execute(
            payments.insert().values(
                txid="DRB0000000000000000000000000042",
                provider="static",
                provider_id="DRB0000000000000000000000000042",
                conversation_key=KEY,
                lead_id="lead-1",
                amount="1800.00",
                copia_e_cola="000201...",
                status="paid",
                created_at=NOW,
                expires_at=NOW + timedelta(hours=1),
                paid_at=paid_at,
                amount_paid="1800.00",
            )
        )
    receipt = EmailReceipt(
        command_id="wamid.pay:receipt_mail",
        txid="DRB0000000000000000000000000042",
        lead_id="lead-1",
    )
    m.core_asks(receipt)
    m.core_asks(receipt)  # the same command again: one e-mail
    (mail,) = mailbox.messages
    assert mail["To"] == EMAIL
    assert mail["Subject"] == "Recibo do seu diagnóstico Tech Ops"
    body = body_of(mail)
    assert body.startswith("Olá, Ana!")
    for line in (
        "Valor: R$ 1.800,00",
        "Identificador do Pix: DRB0000000000000000000000000042",
        "Data: 18/11/2026, às 9h30 (horário de Brasília)",
        "Empresa: Padaria Boa Massa",
    ):
        assert line in body


# ---- the consultant's hand-off shows the meeting as it is (#10.8) --------------------------


def test_the_hand_off_shows_the_meeting_as_it_is_after_a_reschedule_and_a_cancellation(
    db: Database, smtp: tuple[Inbox, int]
) -> None:
    _mailbox, port = smtp
    m = Meeting(db, InternalCalendar(), port)
    m.book("first:book", at(19, 10, 15))
    m.core_asks(
        RequestHandOff(
            command_id="first:book:consultant",
            reason="consultant",
            flow="techops",
            lead_id="lead-1",
            booking_id="first:book",
        )
    )

    def meeting_line() -> str:
        (item,) = asyncio.run(m.handoff.queue())
        (line,) = [s for s in item.summary if s.startswith("Reunião:")]
        return line

    assert (
        meeting_line() == "Reunião: quinta, 19/11/2026, às 10h15 (horário de Brasília) (agendada)"
    )
    m.book("second:book", at(24, 14), replaces="first:book")
    assert meeting_line() == "Reunião: terça, 24/11/2026, às 14h (horário de Brasília) (agendada)"
    m.cancel("second:book")
    assert meeting_line() == "Reunião: terça, 24/11/2026, às 14h (horário de Brasília) (cancelada)"
    m.book("third:book", at(25, 9))  # booked again: that is the meeting now
    assert meeting_line() == "Reunião: quarta, 25/11/2026, às 9h (horário de Brasília) (agendada)"
