"""Report math over plain rows: volume, response times, satisfaction, containment, funnel.

The rows (`rows`, re-exported here) hold aware datetimes. Days are days **in the period's
time zone** (`Period.tz`; America/Sao_Paulo for Dresbach, passed in, never assumed): a
hand-off opened at 01:30 UTC on 8 Dec belongs to 7 Dec in São Paulo.

**A hand-off belongs to the day it was opened.** Its volume, its times and its rating count
there, so a day's numbers describe the customers who asked for a person that day. One not
answered (or not closed) has no time yet: `Times.missing` counts it beside the median, so a
low median on a recent day can be read with care.

**Percentiles** interpolate linearly between the closest ranks (Hyndman & Fan's method 7):
the rank of the p-th percentile of n sorted values is (n - 1)·p, counted from 0, and a
fractional rank lies between its two neighbours. It is the method of PERCENTIL.INC and
MEDIANA in a pt-BR spreadsheet and numpy's default, so whoever recomputes from the CSV gets
the same numbers. The median is the 50th percentile: the middle value, or the mean of the two
middle values when the count is even.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dresbach.features.reports import texts
from dresbach.features.reports.rows import ConversationRow, FunnelEvent, HandOffRow, Period, Stage

__all__ = [
    "Containment",
    "ConversationRow",
    "DailyVolume",
    "FunnelEvent",
    "FunnelStep",
    "HandOffRow",
    "Period",
    "ResponseTimes",
    "Satisfaction",
    "Stage",
    "Times",
    "by_label",
    "by_operator",
    "by_team",
    "containment",
    "funnel",
    "median",
    "percentile",
    "response_times",
    "response_times_by_day",
    "satisfaction",
    "volume_by_day",
]


def percentile(values: Iterable[float], share: float) -> float | None:
    """The `share` (0 to 1) percentile by linear interpolation (see the module); `None` when
    there are no values."""
    if not 0 <= share <= 1:
        raise ValueError(f"a percentile share is from 0 to 1, not {share}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * share
    below = math.floor(rank)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (rank - below) * (ordered[above] - ordered[below])


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 0.5)


def by_team(row: HandOffRow) -> str:
    return row.team or texts.NO_TEAM


def by_operator(row: HandOffRow) -> str:
    return row.operator or texts.NO_OPERATOR


def by_label(row: HandOffRow) -> str:
    return row.label or texts.NO_LABEL


Grouping = Callable[[HandOffRow], str]


@dataclass(frozen=True, slots=True)
class DailyVolume:
    """Hand-offs opened per day, per group; `groups` has the largest total first."""

    days: tuple[date, ...]
    groups: tuple[tuple[str, tuple[int, ...]], ...]

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(counts[i] for _, counts in self.groups) for i in range(len(self.days)))

    def top(self, keep: int) -> DailyVolume:
        """The `keep` largest groups, the rest added up as "Outros" (a chart stays legible)."""
        if len(self.groups) <= keep:
            return self
        kept = dict(self.groups[:keep])
        rest = [counts for _, counts in self.groups[keep:]]
        rest += [kept.pop(texts.OTHERS)] if texts.OTHERS in kept else []  # a group so named
        folded = tuple(sum(day) for day in zip(*rest, strict=True))
        return DailyVolume(self.days, (*kept.items(), (texts.OTHERS, folded)))


def volume_by_day(
    handoffs: Iterable[HandOffRow], period: Period, by: Grouping = by_team
) -> DailyVolume:
    """How many hand-offs were opened each day of the period, split by `by` (team, label…).
    Every day of the period is present, with zeros where nothing happened."""
    index = {day: i for i, day in enumerate(period.days)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(index))
    for row in handoffs:
        day = period.day_of(row.opened_at)
        if day in index:
            counts[by(row)][index[day]] += 1
    ordered = sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0].casefold()))
    return DailyVolume(period.days, tuple((name, tuple(days)) for name, days in ordered))


@dataclass(frozen=True, slots=True)
class Times:
    """Durations in seconds: how many were measured, their median and p90, and how many
    hand-offs had no such time (not answered, or not closed, yet or ever)."""

    count: int
    median: float | None
    p90: float | None
    missing: int


def _times(durations: Sequence[float | None]) -> Times:
    measured = [d for d in durations if d is not None]
    return Times(
        count=len(measured),
        median=median(measured),
        p90=percentile(measured, 0.9),
        missing=len(durations) - len(measured),
    )


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """First response (request → a person's first answer) and resolution (request → close)."""

    first_response: Times
    resolution: Times


def response_times(handoffs: Iterable[HandOffRow], period: Period) -> ResponseTimes:
    """The times of the hand-offs opened in the period, all together."""
    rows = [row for row in handoffs if row.opened_at in period]
    return ResponseTimes(
        first_response=_times([row.first_response for row in rows]),
        resolution=_times([row.resolution for row in rows]),
    )


def response_times_by_day(
    handoffs: Iterable[HandOffRow], period: Period
) -> tuple[tuple[date, ResponseTimes], ...]:
    """The times of each day of the period, by the day each hand-off was opened."""
    days: dict[date, list[HandOffRow]] = {day: [] for day in period.days}
    for row in handoffs:
        day = period.day_of(row.opened_at)
        if day in days:
            days[day].append(row)
    return tuple((day, response_times(rows, period)) for day, rows in days.items())


@dataclass(frozen=True, slots=True)
class Satisfaction:
    name: str
    average: float
    count: int


def satisfaction(
    handoffs: Iterable[HandOffRow], period: Period, by: Grouping = by_team
) -> tuple[Satisfaction, ...]:
    """The mean rating (1–5) and the number of ratings of each group, over the rated
    hand-offs opened in the period; the best first (more ratings first on a tie)."""
    ratings: dict[str, list[int]] = defaultdict(list)
    for row in handoffs:
        if row.rating is not None and row.opened_at in period:
            ratings[by(row)].append(row.rating)
    found = [Satisfaction(name, sum(r) / len(r), len(r)) for name, r in ratings.items()]
    return tuple(sorted(found, key=lambda s: (-s.average, -s.count, s.name.casefold())))


@dataclass(frozen=True, slots=True)
class Containment:
    conversations: int
    contained: int

    @property
    def rate(self) -> float | None:
        """Contained over all, from 0 to 1; `None` when there was no conversation."""
        return self.contained / self.conversations if self.conversations else None


def containment(conversations: Iterable[ConversationRow], period: Period) -> Containment:
    """The bot's containment: of the conversations started in the period, the share that
    ended without a person.

    A conversation is *contained* when `person_involved` is false: nobody asked for a person
    in it. One that asked for a person is not contained even if the customer gave up before
    anyone answered (the bot did not solve it either). A contained conversation may still
    have left the customer unserved (they just went away): no report can tell that apart from
    a solved one, which is why this rate is read beside satisfaction and the funnel.
    """
    started = [row for row in conversations if row.started_at in period]
    return Containment(
        conversations=len(started),
        contained=sum(1 for row in started if not row.person_involved),
    )


@dataclass(frozen=True, slots=True)
class FunnelStep:
    stage: Stage
    leads: int


def funnel(events: Iterable[FunnelEvent], period: Period) -> tuple[FunnelStep, ...]:
    """How far the leads offered a diagnosis in the period went, one step per stage.

    The cohort is the leads whose first `OFFERED` event falls in the period; each is counted
    at every stage up to the furthest it reached among `events` (whenever that was: pass the
    later events too), so the steps never grow and each share reads as a conversion.
    """
    offered: dict[str, datetime] = {}
    furthest: dict[str, Stage] = {}
    for event in events:
        if event.stage is Stage.OFFERED:
            known = offered.get(event.lead_id)
            if known is None or event.at.timestamp() < known.timestamp():
                offered[event.lead_id] = event.at
        furthest[event.lead_id] = max(furthest.get(event.lead_id, event.stage), event.stage)
    cohort = [lead for lead, at in offered.items() if at in period]
    return tuple(
        FunnelStep(stage, sum(1 for lead in cohort if furthest[lead] >= stage)) for stage in Stage
    )
