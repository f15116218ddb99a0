"""Numbers, durations and days as a reader in Brazil writes them.

`number(1234)` is "1.234", `number(12.5, 1)` is "12,5", `percent(0.125)` is "12,5%",
`duration(7500)` is "2 h 05 min", `day_label(date(2025, 12, 8))` is "seg 08/12" and
`day_month(date(2025, 12, 8))` is "8 dez".
"""

from __future__ import annotations

import math
from datetime import date

from dresbach.features.reports import texts

WEEKDAYS = ("seg", "ter", "qua", "qui", "sex", "sáb", "dom")
"""Abbreviated weekdays in `date.weekday()` order (Monday first)."""

MONTHS = ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez")

_SWAP = str.maketrans(",.", ".,")


def number(value: float, places: int = 0) -> str:
    """Dot between thousands, comma before decimals: 1.234 · 12,5 · 0,25."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    text = f"{value:,.{places}f}".translate(_SWAP)
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def trimmed(value: float, places: int = 1) -> str:
    """Like `number`, without decimals that are zero: 12 · 12,5 · 0,25 (places=2)."""
    text = number(value, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def compact(value: float) -> str:
    """An axis tick, short: 950 · 2,5 · 12 mil · 1,5 mi · 3 bi."""
    for size, word in ((1e12, "tri"), (1e9, "bi"), (1e6, "mi"), (1e4, "mil")):
        if abs(value) >= size:
            scaled = value / (1e3 if word == "mil" else size)
            return f"{trimmed(scaled, 1)} {word}"
    return trimmed(value, 2)


def percent(ratio: float) -> str:
    """A ratio as a percentage: 0.4 is "40%", 0.125 is "12,5%"."""
    return f"{trimmed(ratio * 100, 1)}%"


def duration(seconds: float) -> str:
    """A span in words, to the minute past one minute: 45 s · 12 min · 2 h 05 min · 3 d 4 h."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a duration: {seconds!r}")
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    hours = round(seconds / 3600)
    return f"{hours // 24} d {hours % 24} h"


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes with one decimal, for a spreadsheet column."""
    return None if seconds is None else round(seconds / 60, 1)


def day_label(day: date) -> str:
    """An axis label: "seg 08/12"."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m}"


def day_month(day: date) -> str:
    """ "8 dez"."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def full_day(day: date) -> str:
    """ "08/12/2025", as a spreadsheet in pt-BR reads a date."""
    return f"{day:%d/%m/%Y}"


def period(first: date, last: date) -> str:
    """ "de 1 dez a 14 dez 2025", "de 28 dez 2025 a 3 jan 2026" or "em 8 dez 2025"."""
    if first == last:
        return texts.PERIOD_ONE_DAY.format(day=f"{day_month(first)} {first.year}")
    start = day_month(first) if first.year == last.year else f"{day_month(first)} {first.year}"
    return texts.PERIOD.format(first=start, last=f"{day_month(last)} {last.year}")
