"""Scheduling's settings: the calendar, the consultants' hours, the meetings' rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType

from dresbach.features.scheduling.model import SchedulingRules, is_meeting_link
from dresbach.kernel.hours import HoursError, WorkingHours, parse_days_off, parse_hours
from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting


@dataclass(frozen=True, kw_only=True)
class SchedulingSettings(Section):
    calendar: str = setting("DRESBACH_CALENDAR", "internal")
    caldav_url: str = setting("CALDAV_URL", "")
    caldav_user: str = setting("CALDAV_USER", "")
    caldav_password: Secret = secret("CALDAV_PASSWORD")
    caldav_calendar: str = setting("CALDAV_CALENDAR", "")
    consultant_hours: str = setting("DRESBACH_CONSULTANT_HOURS", "seg-sex 09:00-18:00")
    days_off: str = setting("DRESBACH_DAYS_OFF", "")
    meeting_minutes: int = setting("DRESBACH_MEETING_MINUTES", 60)
    meeting_buffer_minutes: int = setting("DRESBACH_MEETING_BUFFER_MINUTES", 15)
    meeting_notice_hours: int = setting("DRESBACH_MEETING_NOTICE_HOURS", 4)
    booking_horizon_days: int = setting("DRESBACH_BOOKING_HORIZON_DAYS", 21)
    change_notice_hours: int = setting("DRESBACH_CHANGE_NOTICE_HOURS", 24)
    change_grace_minutes: int = setting("DRESBACH_CHANGE_GRACE_MINUTES", 15)
    meeting_location: str = setting("DRESBACH_MEETING_LOCATION", "Reunião online")
    meeting_url: str = setting("DRESBACH_MEETING_URL", "")

    def validate(self) -> None:
        try:
            parse_hours(self.consultant_hours)
            parse_days_off(self.days_off)
        except HoursError as error:
            raise SettingsError(f"working hours: {error}") from error
        if self.meeting_minutes < 15 or self.meeting_buffer_minutes < 0:
            raise SettingsError("DRESBACH_MEETING_MINUTES must be at least 15 and the buffer >= 0")
        if self.meeting_url.strip() and not is_meeting_link(self.meeting_url):
            raise SettingsError("DRESBACH_MEETING_URL must be an https:// link with no spaces")
        if self.change_grace_minutes < 0:
            raise SettingsError("DRESBACH_CHANGE_GRACE_MINUTES must be 0 or more")
        if self.calendar not in ("internal", "caldav"):
            raise SettingsError("DRESBACH_CALENDAR must be internal or caldav")
        if self.calendar == "caldav" and not self.caldav_url:
            raise SettingsError(
                "DRESBACH_CALENDAR=caldav needs CALDAV_URL (and usually CALDAV_USER)"
            )

    def working_hours(self, written: str) -> WorkingHours:
        """Working hours written as in the settings, closed on the days off."""
        return WorkingHours(
            windows=MappingProxyType(parse_hours(written)), days_off=parse_days_off(self.days_off)
        )

    @property
    def scheduling_rules(self) -> SchedulingRules:
        return SchedulingRules(
            hours=self.working_hours(self.consultant_hours),
            meeting=timedelta(minutes=self.meeting_minutes),
            buffer=timedelta(minutes=self.meeting_buffer_minutes),
            notice=timedelta(hours=self.meeting_notice_hours),
            horizon=timedelta(days=self.booking_horizon_days),
            change_notice=timedelta(hours=self.change_notice_hours),
            change_grace=timedelta(minutes=self.change_grace_minutes),
            location=self.meeting_location,
            meeting_url=self.meeting_url.strip(),
        )
