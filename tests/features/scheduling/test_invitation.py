"""The `.ics` invitation, read back with icalendar as a calendar app would read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from dresbach.features.scheduling.invitation import (
    MEETING_TITLE,
    calendar_object,
    cancellation,
    invitation,
)
from dresbach.features.scheduling.model import Booking
from dresbach.kernel.hours import SAO_PAULO

START = datetime(2026, 12, 2, 14, 0, tzinfo=SAO_PAULO)  # 17:00 UTC


def booking(**changes: object) -> Booking:
    values: dict[str, object] = {
        "booking_id": "wamid.ABC:book",
        "start": START,
        "end": START + timedelta(hours=1),
        "title": MEETING_TITLE,
        "description": "Diagnóstico com Ana; pauta: servidores, backups.\nAté lá!",
        "attendee_name": "Ana Lúcia Souza",
        "attendee_email": "ana@example.com.br",
        "location": "Google Meet: https://meet.google.com/abc-defg-hij",
        "created_at": datetime(2026, 11, 25, 15, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Booking(**values)  # type: ignore[arg-type]


def test_the_invitation_is_a_request_in_utc_with_our_booking_id_as_uid() -> None:
    raw = invitation(booking())
    assert b"DTSTART:20261202T170000Z" in raw
    assert b"DTEND:20261202T180000Z" in raw
    calendar = Calendar.from_ical(raw)
    assert calendar["method"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["uid"]) == "wamid.ABC:book"
    assert event.start == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Diagnóstico Tech Ops — Dresbach Hosting"
    assert str(event["location"]) == "Google Meet: https://meet.google.com/abc-defg-hij"
    assert str(event["description"]) == booking().description  # commas, ; and \n survive


def test_organizer_and_attendee_are_mailto_addresses_with_names() -> None:
    (event,) = Calendar.from_ical(invitation(booking())).events
    organizer, attendee = event["organizer"], event["attendee"]
    assert str(organizer) == "mailto:agenda@dresbach.com.br"
    assert organizer.params["CN"] == "Dresbach Hosting do Brasil"
    assert str(attendee) == "mailto:ana@example.com.br"
    assert attendee.params["CN"] == "Ana Lúcia Souza"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"


def test_the_calendar_object_for_caldav_is_the_same_event_without_a_method() -> None:
    stored = Calendar.from_ical(calendar_object(booking()))
    assert "METHOD" not in stored
    (event,) = stored.events
    assert str(event["uid"]) == "wamid.ABC:book"
    assert event.start == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


def test_the_same_booking_always_gives_the_same_bytes() -> None:
    assert invitation(booking()) == invitation(booking())
    moved = booking(start=START + timedelta(days=1), end=START + timedelta(days=1, hours=1))
    assert invitation(moved) != invitation(booking())


def test_a_rescheduled_meeting_keeps_its_uid_and_raises_the_sequence() -> None:
    moved = booking(
        booking_id="wamid.DEF:book",
        uid="wamid.ABC:book",
        sequence=1,
        start=START + timedelta(days=1),
        end=START + timedelta(days=1, hours=1),
    )
    calendar = Calendar.from_ical(invitation(moved))
    assert calendar["method"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["uid"]) == "wamid.ABC:book"  # the same meeting, moved
    assert int(event["sequence"]) == 1


def test_the_cancellation_is_an_itip_cancel_of_the_same_meeting() -> None:
    calendar = Calendar.from_ical(cancellation(booking(sequence=2)))
    assert calendar["method"] == "CANCEL"
    (event,) = calendar.events
    assert str(event["uid"]) == "wamid.ABC:book"
    assert int(event["sequence"]) == 2
    assert str(event["status"]) == "CANCELLED"


def test_the_link_is_in_location_url_and_conference() -> None:
    link = "https://meet.google.com/abc-defg-hij"
    (event,) = Calendar.from_ical(invitation(booking(location="Reunião online", url=link))).events
    assert str(event["location"]) == f"Reunião online: {link}"
    assert str(event["url"]) == link
    assert str(event["conference"]) == link
    assert event["conference"].params["FEATURE"] == ["AUDIO", "VIDEO"]
    (plain,) = Calendar.from_ical(invitation(booking(location="Reunião online"))).events
    assert str(plain["location"]) == "Reunião online"
    assert "url" not in plain
    assert "conference" not in plain
