"""The consultants' calendar on any CalDAV server (Nextcloud, Google, iCloud, Zimbra, Radicale),
through the `caldav` library.

- `busy(start, end)`: a time-range search (`REPORT calendar-query`, recurrences expanded) over
  the calendar; every event that overlaps, as a UTC interval. An all-day event keeps the whole
  day busy (the day in São Paulo); a floating time is São Paulo time; transparent ("free") and
  cancelled events are ignored. Events we saved ourselves come back too, which is harmless:
  they are our bookings, already busy.
- `save(booking)`: the booking as a VEVENT in UTC whose UID is the meeting's (the first
  booking's id, kept across reschedules; organizer, the customer as attendee), PUT at the href
  made from that UID; saving it again replaces the same resource, so a retried job never adds
  a second event, and a reschedule moves the event. An event with that UID under another href
  (moved by another client) is updated where it is. The event is then read back: a server that
  attaches a video conference to new events (Google's `X-GOOGLE-CONFERENCE`, RFC 7986
  `CONFERENCE`, Teams' `X-MICROSOFT-SKYPETEAMSMEETINGURL`, a `URL`, or a LOCATION that is a
  link) gives the booking its meeting link.
- `remove(uid)`: the event with that UID is deleted; nothing happens when there is none.

The calendar is `calendar` (its display name, or its URL), else the principal's first calendar.
Its URL is found once and kept.

Why the async client (`caldav.aio`): the job worker runs on the event loop, so a calendar call
then costs no thread and is cancelled with the worker; every call it makes here was run against
Radicale 3.9 in `tests/features/scheduling/test_caldav_calendar.py`. A new HTTP session is
opened per call: calls are rare (a booking, a slot search), and a long-lived session could go stale.

Errors: 401/403 (wrong credentials, no rights) and a calendar that does not exist →
`PermanentError`; no connection, a timeout, 429 and 5xx → `TransientError`; any other refusal
(4xx) → `PermanentError`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caldav import aio
from caldav.lib import error as dav_error
from icalendar import Calendar as ICalendar

from dresbach.features.scheduling.invitation import calendar_object
from dresbach.features.scheduling.model import Booking, Interval, is_meeting_link
from dresbach.kernel.errors import DresbachError, PermanentError, TransientError
from dresbach.kernel.hours import SAO_PAULO

__all__ = ["CalDavCalendar"]

log = logging.getLogger(__name__)


def _moment(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A DTSTART/DTEND value as an aware UTC datetime (a date is its midnight in `zone`)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


def _interval(component: Any, zone: ZoneInfo) -> Interval | None:
    """The busy interval of one VEVENT, or None when it keeps no time busy."""
    if str(component.get("transp", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(component.get("status", "")).upper() == "CANCELLED":
        return None
    dtstart = component.get("dtstart")
    if dtstart is None:
        return None
    first = dtstart.dt
    start = _moment(first, zone)
    if component.get("dtend") is not None:
        end = _moment(component["dtend"].dt, zone)
    elif component.get("duration") is not None:
        end = start + component["duration"].dt
    elif isinstance(first, datetime):
        end = start  # RFC 5545: a DTSTART date-time without DTEND ends where it starts
    else:
        end = _moment(first + timedelta(days=1), zone)  # an all-day event: that whole day
    return start, max(start, end)


LINK_PROPERTIES = (
    "conference",
    "x-google-conference",
    "x-microsoft-skypeteamsmeetingurl",
    "x-microsoft-onlinemeetingconflink",
    "url",
    "location",
)
"""Where servers put a meeting's video link, the most specific first."""


def meeting_link(component: Any) -> str | None:
    """The video link an event carries (see LINK_PROPERTIES), an https address only; a
    CONFERENCE marked for video wins over one for audio or chat."""
    for name in LINK_PROPERTIES:
        values = component.get(name)
        if values is None:
            continue
        candidates = values if isinstance(values, list) else [values]
        if name == "conference":
            video = [
                v
                for v in candidates
                if "VIDEO" in str(getattr(v, "params", {}).get("FEATURE", "")).upper()
            ]
            candidates = video + [v for v in candidates if v not in video]
        for value in candidates:
            text = str(value).strip()
            if name == "location":
                text = text.rsplit(" ", 1)[-1]  # "Reunião online: https://…"
            if is_meeting_link(text):
                return text
    return None


def href_for(uid: str) -> str:
    """Our event's resource name: derived from the UID, so saving again hits the same resource,
    and made of safe characters (servers refuse some in paths; booking ids may hold `:`, `=`)."""
    return f"dresbach-{hashlib.sha256(uid.encode()).hexdigest()[:40]}.ics"


def _status(problem: dav_error.DAVError) -> int | None:
    status = getattr(problem, "status", None)
    return status if isinstance(status, int) else None


_NETWORK_LIBRARIES = ("niquests", "urllib3", "httpx", "httpcore", "requests", "h11", "h2")


def _translate(problem: Exception, doing: str) -> DresbachError | None:
    """Our error for what the library (or the network below it) raised; None for anything
    else (a bug, which should surface as itself)."""
    if isinstance(problem, DresbachError):
        return problem
    if isinstance(problem, dav_error.AuthorizationError):
        refused = _status(problem) or 401
        return PermanentError(f"CalDAV refused access ({refused}) while {doing}", code=refused)
    if isinstance(problem, dav_error.RateLimitError):
        return TransientError(f"CalDAV is rate limiting ({doing})", code=429)
    if isinstance(problem, dav_error.DAVError):
        status = _status(problem)
        # 412: the event changed between our read and our write; reading again will do
        if status is None or status >= 500 or status in (408, 412, 429):
            return TransientError(f"CalDAV unavailable while {doing}: {problem}", code=status)
        if status == 404:
            return PermanentError(f"CalDAV: not found while {doing}", code=404)
        return PermanentError(f"CalDAV refused {doing}: {problem}", code=status)
    library = type(problem).__module__.split(".", 1)[0]
    if isinstance(problem, OSError | TimeoutError) or library in _NETWORK_LIBRARIES:
        return TransientError(f"CalDAV unreachable while {doing}: {type(problem).__name__}")
    return None


class CalDavCalendar:
    """The `Calendar` port over CalDAV (see the module docstring)."""

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        calendar: str = "",
        timeout: float = 10.0,
        zone: ZoneInfo = SAO_PAULO,
    ) -> None:
        self._url, self._username, self._password = url, username, password
        self._wanted, self._timeout, self._zone = calendar.strip(), timeout, zone
        self._calendar_url: str | None = None
        if self._wanted.startswith(("http://", "https://")):
            self._calendar_url = self._wanted

    @property
    def name(self) -> str:
        return "caldav"

    # ---- plumbing ------------------------------------------------------------------------
    @asynccontextmanager
    async def _calendar(self, doing: str) -> AsyncIterator[Any]:
        """The configured calendar on a fresh client; library errors become ours."""
        try:
            async with aio.AsyncDAVClient(
                url=self._url,
                username=self._username or None,
                password=self._password or None,
                timeout=max(1, round(self._timeout)),
                enable_rfc6764=False,
            ) as session:
                client: Any = session  # the library's dual sync/async objects are loosely typed
                if self._calendar_url is None:
                    self._calendar_url = await self._find(client)
                yield client.calendar(url=self._calendar_url)
        except Exception as problem:
            ours = _translate(problem, doing)
            if ours is None or ours is problem:
                raise
            raise ours from problem

    async def _find(self, client: Any) -> str:
        principal = await client.get_principal()
        calendars: list[Any] = await principal.get_calendars()
        if not calendars:
            raise PermanentError("CalDAV: the principal has no calendar")
        if not self._wanted:
            return str(calendars[0].url)
        for candidate in calendars:
            url = str(candidate.url)
            if url.rstrip("/").endswith(self._wanted.rstrip("/")):
                return url
            if (await candidate.get_display_name()) == self._wanted:
                return url
        raise PermanentError(f"CalDAV: no calendar named {self._wanted!r}")

    async def _by_uid(self, calendar: Any, uid: str) -> Any | None:
        try:
            return await calendar.get_event_by_uid(uid)
        except dav_error.NotFoundError:
            return None

    # ---- the port ------------------------------------------------------------------------
    async def busy(self, start: datetime, end: datetime) -> list[Interval]:
        async with self._calendar("reading free time") as calendar:
            found: list[Any] = await calendar.search(
                event=True, start=start.astimezone(UTC), end=end.astimezone(UTC), expand=True
            )
        intervals: list[Interval] = []
        for resource in found:
            instance: ICalendar = resource.icalendar_instance
            for component in instance.walk("VEVENT"):
                interval = _interval(component, self._zone)
                if interval is not None and interval[0] < end and start < interval[1]:
                    intervals.append(interval)
        return sorted(intervals)

    async def save(self, booking: Booking) -> str | None:
        data = calendar_object(booking).encode()
        uid = booking.event_uid
        async with self._calendar("saving a booking") as calendar:
            event: Any = aio.Event(
                calendar.client, url=calendar.url.join(href_for(uid)), parent=calendar
            )
            try:
                await event.save(raw_data=data, increase_seqno=False)
            except dav_error.UidConflictError:
                # another client keeps an event with our UID under its own href: update it there
                event = await self._by_uid(calendar, uid)
                if event is None:
                    raise
                await event.save(raw_data=data, increase_seqno=False)
            link = await self._link(event)
        log.info("calendar: booking %s saved", booking.booking_id)
        return link if link and link != booking.url else None

    async def _link(self, event: Any) -> str | None:
        """The meeting link the server put on the event we saved (read back), if any."""
        try:
            await event.load()
        except dav_error.DAVError as problem:  # saved all the same; the link can come later
            log.warning("calendar: the saved event could not be read back: %s", problem)
            return None
        instance: ICalendar = event.icalendar_instance
        for component in instance.walk("VEVENT"):
            link = meeting_link(component)
            if link:
                return link
        return None

    async def remove(self, uid: str) -> None:
        async with self._calendar("removing a booking") as calendar:
            existing = await self._by_uid(calendar, uid)
            if existing is None:
                return
            try:
                await existing.delete()
            except dav_error.NotFoundError:
                return  # somebody deleted it in between: that is what we wanted
        log.info("calendar: event %s removed", uid)
