"""The charts of the reports page, from the numbers of `stats`, with their pt-BR words.

The page calls one function per chart; each `chart_id` must be unique in the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dresbach.features.reports import charts, formatting, texts
from dresbach.features.reports.stats import (
    DailyVolume,
    FunnelStep,
    Period,
    ResponseTimes,
    Satisfaction,
)
from dresbach.features.reports.svg import Chart

MOST_GROUPS = 5
"""More series than this are added up as "Outros": a stack of colours stops being readable."""


def _when(period: Period) -> str:
    return formatting.period(period.first, period.last)


def volume_chart(volume: DailyVolume, period: Period, *, group: str = "team") -> Chart:
    """Stacked bars: hand-offs per day, by team (`group="team"`) or label (`"label"`)."""
    words = texts.GROUP_WORDS[group]
    shown = volume.top(MOST_GROUPS)
    return charts.bar_chart(
        chart_id=f"volume-{group}",
        title=texts.VOLUME_TITLE.format(group=words),
        description=texts.VOLUME_DESCRIPTION.format(period=_when(period), group=words),
        category_header=texts.DAY,
        categories=[formatting.day_label(day) for day in shown.days],
        series=[charts.Series(name, tuple(map(float, counts))) for name, counts in shown.groups],
    )


def times_chart(
    days: Sequence[tuple[date, ResponseTimes]], period: Period, *, resolution: bool = False
) -> Chart:
    """Lines of the median and the p90 per day: to the first response, or to the close."""
    picked = [times.resolution if resolution else times.first_response for _, times in days]
    title, description = (
        (texts.RESOLUTION_TITLE, texts.RESOLUTION_DESCRIPTION)
        if resolution
        else (texts.FIRST_RESPONSE_TITLE, texts.FIRST_RESPONSE_DESCRIPTION)
    )
    return charts.line_chart(
        chart_id="resolution" if resolution else "first-response",
        title=title,
        description=description.format(period=_when(period)),
        category_header=texts.DAY,
        categories=[formatting.day_label(day) for day, _ in days],
        series=[
            charts.Series(texts.MEDIAN, tuple(t.median for t in picked)),
            charts.Series(texts.P90, tuple(t.p90 for t in picked)),
        ],
    )


def satisfaction_chart(
    rows: Sequence[Satisfaction], period: Period, *, group: str = "team"
) -> Chart:
    """Horizontal bars on the 1–5 scale, by team or by operator, with the count."""
    words = texts.GROUP_WORDS[group]
    return charts.horizontal_bar_chart(
        chart_id=f"satisfaction-{group}",
        title=texts.SATISFACTION_TITLE.format(group=words),
        description=texts.SATISFACTION_DESCRIPTION.format(period=_when(period)),
        headers=(words.capitalize(), texts.AVERAGE, texts.RATINGS),
        bars=[charts.Bar(row.name, row.average, row.count) for row in rows],
        top=5,
    )


def funnel_chart(steps: Sequence[FunnelStep], period: Period) -> Chart:
    """Offered → paid → booked → held, for the leads offered a diagnosis in the period."""
    return charts.funnel_chart(
        chart_id="funnel",
        title=texts.FUNNEL_TITLE,
        description=texts.FUNNEL_DESCRIPTION.format(period=_when(period)),
        stages=[charts.Stage(step.stage.label, step.leads) for step in steps],
    )
