"""Working hours: when consultants take meetings and when operators answer. Pure.

Written in settings as `seg-sex 09:00-18:00; sab 09:00-13:00` (pt-BR or English day names).
Times are wall-clock times in America/Sao_Paulo; national holidays (the `holidays` package) and
configured days off are closed all day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
DAY = timedelta(days=1)

DAY_NAMES: Mapping[str, int] = MappingProxyType(
    {
        "seg": 0,
        "ter": 1,
        "qua": 2,
        "qui": 3,
        "sex": 4,
        "sab": 5,
        "dom": 6,
        "mon": 0,
        "tue": 1,
        "wed": 2,
        "thu": 3,
        "fri": 4,
        "sat": 5,
        "sun": 6,
    }
)
WEEKDAYS_PT = ("segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo")
"""Weekday names as customers read them, never abbreviated ("segunda, 07/12, às 8h")."""
_EVERY_PT = (
    "às segundas",
    "às terças",
    "às quartas",
    "às quintas",
    "às sextas",
    "aos sábados",
    "aos domingos",
)


def clock(moment: time | datetime) -> str:
    """A wall-clock time as written in pt-BR prose: "8h", "10h15" (never "08:00")."""
    return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"


def at_clock(moment: time | datetime) -> str:
    """ "às 8h", "às 10h15"; "à 1h" and "à 0h" (one o'clock and midnight are singular)."""
    return f"{'à' if moment.hour <= 1 else 'às'} {clock(moment)}"


def _from_clock(moment: time) -> str:
    """ "das 9h", "da 1h"."""
    return f"{'da' if moment.hour <= 1 else 'das'} {clock(moment)}"


def day_label(moment: datetime) -> str:
    """ "quarta, 02/12" (São Paulo)."""
    local = moment.astimezone(SAO_PAULO)
    return f"{WEEKDAYS_PT[local.weekday()]}, {local:%d/%m}"


def when_label(moment: datetime) -> str:
    """ "quarta, 02/12, às 14h" (São Paulo): the one way a day and time are written to people,
    short enough for a WhatsApp list row (at most 24 characters)."""
    local = moment.astimezone(SAO_PAULO)
    return f"{day_label(local)}, {at_clock(local)}"


class HoursError(ValueError):
    """A working-hours text that cannot be read; the message says what is wrong."""


@lru_cache(maxsize=8)
def _national(year: int) -> frozenset[date]:
    return frozenset(holiday_calendars.country_holidays("BR", years=year).keys())


def is_holiday(day: date) -> bool:
    """A Brazilian national holiday."""
    return day in _national(day.year)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkingHours:
    """Opening windows per weekday (0 = Monday), closed on holidays and days off."""

    windows: Mapping[int, tuple[time, time]] = field(
        default_factory=lambda: MappingProxyType({d: (time(9), time(18)) for d in range(5)})
    )
    days_off: frozenset[date] = frozenset()
    skip_holidays: bool = True

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's window as aware datetimes in São Paulo, or None when closed."""
        hours = self.windows.get(day.weekday())
        if hours is None or day in self.days_off or (self.skip_holidays and is_holiday(day)):
            return None
        opens = datetime.combine(day, hours[0], tzinfo=SAO_PAULO)
        closes = datetime.combine(day, hours[1], tzinfo=SAO_PAULO)
        return opens, closes

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(SAO_PAULO)
        window = self.window(local.date())
        return window is not None and window[0] <= local < window[1]

    def next_open(self, moment: datetime, *, horizon_days: int = 60) -> datetime | None:
        """`moment` itself when open, else the next opening (aware, São Paulo)."""
        local = moment.astimezone(SAO_PAULO)
        for offset in range(horizon_days + 1):
            window = self.window(local.date() + timedelta(days=offset))
            if window is None:
                continue
            if local < window[0]:
                return window[0]
            if local < window[1]:
                return local
        return None

    def describe(self) -> str:
        """pt-BR prose, e.g. "de segunda a sexta, das 9h às 18h, e aos sábados, das 9h às 13h"."""
        groups: list[tuple[list[int], tuple[time, time]]] = []
        for day in sorted(self.windows):
            hours = self.windows[day]
            if groups and groups[-1][1] == hours and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], hours))
        parts = []
        for days, (start, end) in groups:
            span = (
                _EVERY_PT[days[0]]
                if len(days) == 1
                else f"de {WEEKDAYS_PT[days[0]]} a {WEEKDAYS_PT[days[-1]]}"
            )
            parts.append(f"{span}, {_from_clock(start)} {at_clock(end)}")
        if not parts:
            return "sem horário definido"
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])}, e {parts[-1]}"


def _time(text: str) -> time:
    try:
        hour, minute = text.strip().split(":")
        return time(int(hour), int(minute))
    except ValueError as error:
        raise HoursError(f"{text!r} is not a time like 09:00") from error


def _days(text: str) -> list[int]:
    text = text.strip().lower().replace("á", "a")
    if "-" in text:
        first, last = (part.strip()[:3] for part in text.split("-", 1))
        if first not in DAY_NAMES or last not in DAY_NAMES:
            raise HoursError(f"{text!r} is not a day range like seg-sex")
        start, end = DAY_NAMES[first], DAY_NAMES[last]
        return list(range(start, end + 1)) if start <= end else [*range(start, 7), *range(end + 1)]
    days = []
    for name in text.split(","):
        key = name.strip()[:3]
        if key not in DAY_NAMES:
            raise HoursError(f"{name.strip()!r} is not a day name like seg")
        days.append(DAY_NAMES[key])
    return days


def parse_hours(text: str) -> dict[int, tuple[time, time]]:
    """`seg-sex 09:00-18:00; sab 09:00-13:00` as {weekday: (opens, closes)}."""
    windows: dict[int, tuple[time, time]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        try:
            days, span = part.rsplit(" ", 1)
            opens, closes = (_time(t) for t in span.split("-", 1))
        except ValueError as error:
            raise HoursError(f"{part!r} is not like 'seg-sex 09:00-18:00'") from error
        if closes <= opens:
            raise HoursError(f"{part!r}: the closing time must come after the opening time")
        for day in _days(days):
            windows[day] = (opens, closes)
    return windows


def parse_days_off(text: str) -> frozenset[date]:
    """`2026-12-24, 2026-12-31` as dates."""
    try:
        return frozenset(date.fromisoformat(p.strip()) for p in text.split(",") if p.strip())
    except ValueError as error:
        raise HoursError(f"{text!r} is not a list of dates like 2026-12-24") from error
