"""The meeting as iCalendar (RFC 5545): the `.ics` invitation the customer receives, and the
event a CalDAV calendar stores. Pure: the booking comes in, bytes go out.

Times are written in UTC (`DTSTART:20261202T170000Z`): every calendar app shows them in its own
zone, and no VTIMEZONE has to travel with the event. The UID is the meeting's (the first
booking's id, kept across reschedules) and SEQUENCE its revision, so a calendar that receives a
new time, a link or the cancellation replaces the event it holds instead of adding another
(RFC 5546: `METHOD:REQUEST` for the invitation and its updates, `METHOD:CANCEL` to take it
away).
"""

from __future__ import annotations

from datetime import UTC

from icalendar import Calendar, Event, vCalAddress, vText

from dresbach.features.scheduling.model import Booking
from dresbach.kernel.policy import Policy

PRODID = "-//Dresbach Hosting do Brasil//Dresbach Assistente//PT-BR"
MEETING_TITLE = "Diagnóstico Tech Ops — Dresbach Hosting"
ORGANIZER_NAME = "Dresbach Hosting do Brasil"
ICS_MIME = "text/calendar"
ICS_FILENAME = "diagnostico.ics"
CANCEL_FILENAME = "diagnostico-cancelado.ics"

TEXTS: dict[str, str] = {
    "place_link": "{location}, pelo link {link}",
    "place_pending": (
        "{location}. A nossa equipe ainda vai criar o link; assim que ele estiver pronto, eu "
        "envio por aqui e por e-mail."
    ),
    "ics_description": (
        "Diagnóstico Tech Ops da {company} com {name}.\n\n"
        "Onde: {place}\n\n"
        "Precisa remarcar ou cancelar? Fale com a gente pelo WhatsApp."
    ),
}
"""pt-BR: where the meeting happens, as every text about it says it (the confirmation, the
reminders, the e-mails, the invitation), and the invitation's description. Registered as the
`scheduling` catalog, so the house's wording lint reads it."""


def place_text(link: str, policy: Policy) -> str:
    """How the meeting happens, in one sentence: the link, or that it will be sent."""
    location = policy.scheduling.location
    if link:
        return TEXTS["place_link"].format(location=location, link=link)
    return TEXTS["place_pending"].format(location=location)


def invitation_description(policy: Policy, name: str, link: str) -> str:
    """The text inside the `.ics` (its DESCRIPTION)."""
    return TEXTS["ics_description"].format(
        company=policy.company_name, name=name, place=place_text(link, policy)
    )


def meeting_event(booking: Booking, *, cancelled: bool = False) -> Event:
    """The VEVENT of a booking: UTC times, the meeting's UID and revision, the link (as
    LOCATION, URL and RFC 7986 CONFERENCE) when there is one, organizer and attendee."""
    event = Event()
    event.add("uid", booking.event_uid)
    event.add("dtstamp", booking.created_at.astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", booking.end.astimezone(UTC))
    event.add("summary", booking.title)
    event.add("description", booking.description)
    event.add("location", f"{booking.location}: {booking.url}" if booking.url else booking.location)
    if booking.url:
        event.add("url", booking.url)
        event.add("conference", booking.url, parameters={"VALUE": "URI"})
        event["conference"].params["FEATURE"] = ["AUDIO", "VIDEO"]
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("sequence", booking.sequence)
    organizer = vCalAddress(f"mailto:{booking.organizer_email}")
    organizer.params["cn"] = vText(ORGANIZER_NAME)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.attendee_email}")
    attendee.params["cn"] = vText(booking.attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    return event


def _calendar(booking: Booking, method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    calendar.add_component(meeting_event(booking, cancelled=method == "CANCEL"))
    return calendar


def invitation(booking: Booking) -> bytes:
    """The `.ics` sent to the customer: an iTIP request (METHOD:REQUEST) that calendar apps
    offer to add, with the customer as attendee. A later revision (a new time, the link) is a
    request with the same UID and a higher SEQUENCE, which replaces the event."""
    return bytes(_calendar(booking, "REQUEST").to_ical())


def cancellation(booking: Booking) -> bytes:
    """The iTIP cancellation (METHOD:CANCEL, STATUS:CANCELLED) of the meeting: the same UID,
    the next SEQUENCE, so calendar apps take the event away."""
    return bytes(_calendar(booking, "CANCEL").to_ical())


def calendar_object(booking: Booking) -> str:
    """The same event as a CalDAV calendar object resource, which must carry no METHOD
    (RFC 4791 §4.1)."""
    return bytes(_calendar(booking, None).to_ical()).decode()
