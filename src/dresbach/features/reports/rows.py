"""The plain rows the reports are computed from, and the period they cover.

The caller fills them from its records. Times are aware datetimes; a naive one is refused
(`ValueError`: which zone would it be in?).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import IntEnum

from dresbach.features.reports import texts


def _aware(at: datetime, what: str) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must carry its time zone: {at!r}")
    return at


def _seconds(start: datetime, end: datetime) -> float:
    """Elapsed seconds, right even when both times share a zone with a change of offset
    between them (Python subtracts such times as wall-clock times)."""
    return end.timestamp() - start.timestamp()


@dataclass(frozen=True, slots=True)
class Period:
    """The days from `first` to `last`, both included, as the calendar of `tz` has them."""

    first: date
    last: date
    tz: tzinfo

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a period cannot end ({self.last}) before it starts ({self.first})")

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.last - self.first).days + 1
        return tuple(self.first + timedelta(days=i) for i in range(count))

    def day_of(self, at: datetime) -> date:
        """The calendar day of the instant `at` in the period's time zone."""
        return _aware(at, "a time").astimezone(self.tz).date()

    def __contains__(self, at: datetime) -> bool:
        return self.first <= self.day_of(at) <= self.last


@dataclass(frozen=True, slots=True, kw_only=True)
class HandOffRow:
    """A hand-off to a person: when it was asked for, first answered and closed; the team
    it went to, the operator who answered, the label it was closed with, its rating (1–5)."""

    opened_at: datetime
    team: str
    operator: str | None = None
    label: str | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None

    def __post_init__(self) -> None:
        _aware(self.opened_at, "opened_at")
        for name in ("first_response_at", "closed_at"):
            at = getattr(self, name)
            if at is not None and _seconds(self.opened_at, _aware(at, name)) < 0:
                raise ValueError(f"{name} ({at}) comes before opened_at ({self.opened_at})")
        if self.rating is not None and not 1 <= self.rating <= 5:
            raise ValueError(f"a rating is from 1 to 5, not {self.rating}")

    @property
    def first_response(self) -> float | None:
        """Seconds from the request to the first answer of a person."""
        at = self.first_response_at
        return None if at is None else _seconds(self.opened_at, at)

    @property
    def resolution(self) -> float | None:
        """Seconds from the request to the close."""
        return None if self.closed_at is None else _seconds(self.opened_at, self.closed_at)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConversationRow:
    """A conversation with the bot, and whether a person was asked for in it."""

    started_at: datetime
    person_involved: bool

    def __post_init__(self) -> None:
        _aware(self.started_at, "started_at")


class Stage(IntEnum):
    """The Tech Ops funnel, in order: each stage implies the ones before it."""

    OFFERED = 1
    PAID = 2
    BOOKED = 3
    HELD = 4

    @property
    def label(self) -> str:
        return texts.STAGES[self.name.lower()]


@dataclass(frozen=True, slots=True, kw_only=True)
class FunnelEvent:
    """A lead reached `stage` at `at`."""

    lead_id: str
    stage: Stage
    at: datetime

    def __post_init__(self) -> None:
        _aware(self.at, "at")
