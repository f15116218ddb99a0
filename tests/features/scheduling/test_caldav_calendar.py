"""The CalDAV calendar against a real Radicale: bookings saved as events (once), busy time from
what anyone put in the calendar, removal, and errors that say whether a retry helps."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar as ICalendar
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dresbach.features.scheduling.adapters.caldav_calendar import CalDavCalendar
from dresbach.features.scheduling.invitation import MEETING_TITLE
from dresbach.features.scheduling.model import Booking
from dresbach.kernel.errors import PermanentError, TransientError
from tests.support.radicale import OTHER_USER, Radicale
from tests.support.servers import free_port, serve_in_thread

START = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)  # Wednesday 14:00 in São Paulo
DAY = (datetime(2026, 12, 2, 3, 0, tzinfo=UTC), datetime(2026, 12, 3, 3, 0, tzinfo=UTC))


def booking(
    booking_id: str = "wamid.HBgLNTUxMTk5OTk5OTk5FQIAERgSQ0E=:book", **changes: object
) -> Booking:
    values: dict[str, object] = {
        "booking_id": booking_id,
        "start": START,
        "end": START + timedelta(hours=1),
        "title": MEETING_TITLE,
        "description": "Diagnóstico Tech Ops com Ana.",
        "attendee_name": "Ana Souza",
        "attendee_email": "ana@example.com.br",
        "location": "Google Meet",
        "created_at": START - timedelta(days=2),
    }
    values.update(changes)
    return Booking(**values)  # type: ignore[arg-type]


def adapter(radicale: Radicale, calendar: str, *, password: str | None = None) -> CalDavCalendar:
    return CalDavCalendar(
        url=f"{radicale.origin}/",
        username=radicale.user,
        password=radicale.password if password is None else password,
        calendar=calendar,
        timeout=5,
    )


def hand_made(uid: str, lines: str) -> str:
    """An event as a person's calendar app would store it."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Another app//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:America/Sao_Paulo\r\nBEGIN:STANDARD\r\n"
        "DTSTART:19700101T000000\r\nTZOFFSETFROM:-0300\r\nTZOFFSETTO:-0300\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T120000Z\r\n{lines}END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_a_saved_booking_is_busy_time_and_the_event_carries_the_meeting(
    radicale: Radicale, calendar_url: str
) -> None:
    calendar = adapter(radicale, calendar_url)
    assert asyncio.run(calendar.busy(*DAY)) == []
    asyncio.run(calendar.save(booking()))
    assert asyncio.run(calendar.busy(*DAY)) == [(START, START + timedelta(hours=1))]
    (href,) = radicale.hrefs(calendar_url)
    with radicale.client() as http:
        stored = ICalendar.from_ical(http.get(f"{radicale.origin}{href}").content)
    assert "METHOD" not in stored
    (event,) = stored.events
    assert str(event["uid"]) == booking().booking_id
    assert str(event["summary"]) == MEETING_TITLE
    assert str(event["location"]) == "Google Meet"
    assert str(event["attendee"]) == "mailto:ana@example.com.br"
    assert event["attendee"].params["CN"] == "Ana Souza"
    assert str(event["organizer"]) == "mailto:agenda@dresbach.com.br"


def test_saving_twice_keeps_one_event_and_the_second_save_replaces_it(
    radicale: Radicale, calendar_url: str
) -> None:
    calendar = adapter(radicale, calendar_url)
    asyncio.run(calendar.save(booking()))
    asyncio.run(calendar.save(booking()))  # a retried job
    assert len(radicale.hrefs(calendar_url)) == 1
    later = START + timedelta(hours=2)
    asyncio.run(calendar.save(booking(start=later, end=later + timedelta(hours=1))))
    assert len(radicale.hrefs(calendar_url)) == 1
    assert asyncio.run(calendar.busy(*DAY)) == [(later, later + timedelta(hours=1))]


def test_an_event_with_our_uid_kept_by_another_client_is_updated_where_it_is(
    radicale: Radicale, calendar_url: str
) -> None:
    radicale.put(
        calendar_url,
        "moved-by-thunderbird.ics",
        hand_made(booking().booking_id, "DTSTART:20261202T120000Z\r\nDTEND:20261202T130000Z\r\n"),
    )
    calendar = adapter(radicale, calendar_url)
    asyncio.run(calendar.save(booking()))
    assert radicale.hrefs(calendar_url) == [
        f"{calendar_url.removeprefix(radicale.origin)}moved-by-thunderbird.ics"
    ]
    assert asyncio.run(calendar.busy(*DAY)) == [(START, START + timedelta(hours=1))]


def test_events_people_put_in_the_calendar_are_busy_time(
    radicale: Radicale, calendar_url: str
) -> None:
    radicale.put(
        calendar_url,
        "dentista.ics",  # São Paulo time with its TZID: 09:00-10:30 is 12:00-13:30 UTC
        hand_made(
            "dentista",
            "SUMMARY:Dentista\r\nDTSTART;TZID=America/Sao_Paulo:20261202T090000\r\n"
            "DTEND;TZID=America/Sao_Paulo:20261202T103000\r\n",
        ),
    )
    radicale.put(
        calendar_url,
        "almoco.ics",  # floating time counts as São Paulo time
        hand_made("almoco", "DTSTART:20261202T120000\r\nDURATION:PT1H\r\n"),
    )
    radicale.put(
        calendar_url,
        "lembrete.ics",  # marked "free": keeps no time busy
        hand_made(
            "lembrete",
            "DTSTART:20261202T180000Z\r\nDTEND:20261202T190000Z\r\nTRANSP:TRANSPARENT\r\n",
        ),
    )
    radicale.put(
        calendar_url,
        "outro-dia.ics",
        hand_made("outro-dia", "DTSTART:20261210T170000Z\r\nDTEND:20261210T180000Z\r\n"),
    )
    busy = asyncio.run(adapter(radicale, calendar_url).busy(*DAY))
    assert busy == [
        (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), datetime(2026, 12, 2, 13, 30, tzinfo=UTC)),
        (datetime(2026, 12, 2, 15, 0, tzinfo=UTC), datetime(2026, 12, 2, 16, 0, tzinfo=UTC)),
    ]


def test_an_all_day_event_keeps_the_whole_day_busy_and_weekly_events_repeat(
    radicale: Radicale, calendar_url: str
) -> None:
    radicale.put(
        calendar_url,
        "ferias.ics",
        hand_made(
            "ferias",
            "SUMMARY:Folga\r\nDTSTART;VALUE=DATE:20261203\r\nDTEND;VALUE=DATE:20261204\r\n",
        ),
    )
    radicale.put(
        calendar_url,
        "daily.ics",  # every Monday 10:00-11:00 São Paulo
        hand_made(
            "daily",
            "DTSTART;TZID=America/Sao_Paulo:20261102T100000\r\n"
            "DTEND;TZID=America/Sao_Paulo:20261102T110000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\n",
        ),
    )
    week = (datetime(2026, 12, 2, 3, 0, tzinfo=UTC), datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    busy = asyncio.run(adapter(radicale, calendar_url).busy(*week))
    assert busy == [
        # Thursday 03/12 from midnight to midnight in São Paulo
        (datetime(2026, 12, 3, 3, 0, tzinfo=UTC), datetime(2026, 12, 4, 3, 0, tzinfo=UTC)),
        # Monday 07/12, the recurring meeting's instance of that week
        (datetime(2026, 12, 7, 13, 0, tzinfo=UTC), datetime(2026, 12, 7, 14, 0, tzinfo=UTC)),
    ]


def test_remove_deletes_the_event_and_does_nothing_when_it_is_gone(
    radicale: Radicale, calendar_url: str
) -> None:
    calendar = adapter(radicale, calendar_url)
    asyncio.run(calendar.save(booking()))
    asyncio.run(
        calendar.save(
            booking("other:book", start=START + timedelta(hours=3), end=START + timedelta(hours=4))
        )
    )
    asyncio.run(calendar.remove(booking().booking_id))
    assert asyncio.run(calendar.busy(*DAY)) == [
        (START + timedelta(hours=3), START + timedelta(hours=4))
    ]
    asyncio.run(calendar.remove(booking().booking_id))  # again: nothing to do
    asyncio.run(calendar.remove("never-booked"))
    assert len(radicale.hrefs(calendar_url)) == 1


def test_the_calendar_is_found_by_its_display_name_or_else_the_first_one(
    radicale: Radicale, calendar_url: str
) -> None:
    name = f"Consultores {uuid.uuid4().hex[:6]}"
    named_url = radicale.make_calendar(name)
    asyncio.run(adapter(radicale, name).save(booking()))
    assert len(radicale.hrefs(named_url)) == 1
    assert radicale.hrefs(calendar_url) == []
    with pytest.raises(PermanentError, match="no calendar named"):
        asyncio.run(adapter(radicale, "Agenda que não existe").busy(*DAY))


def test_without_a_calendar_name_the_principals_first_calendar_is_used(radicale: Radicale) -> None:
    other = radicale.as_user(OTHER_USER)
    with pytest.raises(PermanentError, match="no calendar"):
        asyncio.run(adapter(other, "").busy(*DAY))
    only_url = other.make_calendar("Agenda da consultora")
    asyncio.run(adapter(other, "").save(booking()))
    assert len(other.hrefs(only_url)) == 1


def test_a_wrong_password_is_permanent(radicale: Radicale, calendar_url: str) -> None:
    calendar = adapter(radicale, calendar_url, password="errada")
    with pytest.raises(PermanentError) as refused:
        asyncio.run(calendar.busy(*DAY))
    assert refused.value.code == 401
    with pytest.raises(PermanentError):
        asyncio.run(calendar.save(booking()))


def test_an_unreachable_server_is_transient() -> None:
    calendar = CalDavCalendar(
        url=f"http://127.0.0.1:{free_port()}/", username="x", password="y", timeout=2
    )
    with pytest.raises(TransientError):
        asyncio.run(calendar.busy(*DAY))
    with pytest.raises(TransientError):
        asyncio.run(calendar.save(booking()))


def test_a_server_error_is_transient() -> None:
    async def broken(request: Request) -> Response:
        return Response("upstream down", status_code=502)

    app = Starlette(routes=[Route("/{path:path}", broken, methods=["PROPFIND", "REPORT", "PUT"])])
    with serve_in_thread(app) as origin:
        calendar = CalDavCalendar(
            url=f"{origin}/dav/", username="x", password="y", calendar=f"{origin}/dav/cal/"
        )
        with pytest.raises(TransientError) as unavailable:
            asyncio.run(calendar.busy(*DAY))
        with pytest.raises(TransientError):
            asyncio.run(calendar.save(booking()))
    assert unavailable.value.code == 502


def test_a_calendar_shared_read_only_gives_busy_time_but_refuses_bookings_for_good(
    radicale: Radicale, calendar_url: str
) -> None:
    asyncio.run(adapter(radicale, calendar_url).save(booking()))
    reader = adapter(radicale.as_user(OTHER_USER), calendar_url)
    assert asyncio.run(reader.busy(*DAY)) == [(START, START + timedelta(hours=1))]
    with pytest.raises(PermanentError) as refused:
        asyncio.run(reader.save(booking("another:book")))
    assert refused.value.code == 403
    assert len(radicale.hrefs(calendar_url)) == 1


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij",
            "https://meet.google.com/abc-defg-hij",
        ),
        (
            "CONFERENCE;VALUE=URI;FEATURE=PHONE:tel:+55-11-4000-0000\r\n"
            "CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://talk.example.com/call/x7",
            "https://talk.example.com/call/x7",
        ),
        (
            "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/19%3a",
            "https://teams.microsoft.com/l/meetup-join/19%3a",
        ),
        ("URL:https://cloud.example.com/call/k2", "https://cloud.example.com/call/k2"),
        ("LOCATION:https://zoom.us/j/123456789", "https://zoom.us/j/123456789"),
        ("LOCATION:Sala 3\\, 2º andar", None),
        ("URL:http://insecure.example.com/call", None),
    ],
)
def test_the_meeting_link_a_server_put_on_an_event_is_found(
    lines: str, expected: str | None
) -> None:
    from dresbach.features.scheduling.adapters.caldav_calendar import meeting_link

    raw = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        "DTSTAMP:20261201T120000Z\r\nDTSTART:20261202T170000Z\r\nDTEND:20261202T180000Z\r\n"
        f"{lines}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (event,) = ICalendar.from_ical(raw).walk("VEVENT")
    assert meeting_link(event) == expected


def test_saving_returns_the_link_the_server_attached_and_a_reschedule_moves_the_same_event(
    radicale: Radicale, calendar_url: str
) -> None:
    calendar = adapter(radicale, calendar_url)
    first = booking("first:book")
    assert asyncio.run(calendar.save(first)) is None  # Radicale attaches nothing
    moved = booking(
        "second:book",
        uid="first:book",
        sequence=1,
        start=START + timedelta(days=1),
        end=START + timedelta(days=1, hours=1),
        url="https://meet.google.com/abc-defg-hij",
    )
    assert asyncio.run(calendar.save(moved)) is None  # the link is ours, not the server's
    (href,) = radicale.hrefs(calendar_url)
    with radicale.client() as http:
        (event,) = ICalendar.from_ical(http.get(f"{radicale.origin}{href}").content).walk("VEVENT")
    assert (str(event["uid"]), int(event["sequence"])) == ("first:book", 1)
    assert event["dtstart"].dt == START + timedelta(days=1)
    asyncio.run(calendar.remove("first:book"))
    assert radicale.hrefs(calendar_url) == []
