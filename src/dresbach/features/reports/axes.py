"""The frame of a chart over days: a value axis with round ticks and gridlines, and the
category labels along the bottom, thinned out so that they never overlap."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dresbach.features.reports import formatting
from dresbach.features.reports.svg import (
    GRID,
    MUTED,
    SMALL,
    WIDTH,
    fit,
    nice_ticks,
    tag,
    text,
    width_of,
)

PLOT_HEIGHT = 150.0
RIGHT = WIDTH - 4.0
LABELS_BELOW = 22.0
"""Room under the plot for the category labels."""

_UNITS = ((120.0, 1.0, "s"), (7200.0, 60.0, "min"), (172800.0, 3600.0, "h"))


@dataclass(frozen=True, slots=True)
class ValueAxis:
    """How values map to heights: `top` is the highest tick, `unit` divides a value for its
    tick label and `suffix` follows it ("min")."""

    ticks: tuple[float, ...]
    unit: float = 1.0
    suffix: str = ""

    @property
    def top(self) -> float:
        return self.ticks[-1] * self.unit

    def label(self, tick: float) -> str:
        shown = formatting.compact(tick)
        return f"{shown} {self.suffix}" if self.suffix else shown


def count_axis(highest: float) -> ValueAxis:
    """Ticks for counts: whole steps when the values are whole."""
    return ValueAxis(ticks=tuple(nice_ticks(highest, whole=highest >= 4)))


def seconds_axis(highest: float) -> ValueAxis:
    """Ticks for durations, in seconds, minutes, hours or days by the longest."""
    unit, suffix = 86400.0, "d"
    for limit, size, name in _UNITS:
        if highest < limit:
            unit, suffix = size, name
            break
    return ValueAxis(ticks=tuple(nice_ticks(highest / unit, whole=False)), unit=unit, suffix=suffix)


@dataclass(frozen=True, slots=True)
class Plot:
    """The rectangle values are drawn in, in chart units."""

    left: float
    top: float
    axis: ValueAxis

    @property
    def bottom(self) -> float:
        return self.top + PLOT_HEIGHT

    @property
    def width(self) -> float:
        return RIGHT - self.left

    @property
    def height(self) -> float:
        return self.top + PLOT_HEIGHT + LABELS_BELOW

    def y(self, value: float) -> float:
        top = self.axis.top
        return self.bottom - (value / top) * PLOT_HEIGHT if top > 0 else self.bottom


def plot(axis: ValueAxis, top: float) -> Plot:
    """A plot whose left edge leaves room for the widest tick label."""
    widest = max(width_of(axis.label(tick), SMALL) for tick in axis.ticks)
    return Plot(left=min(widest + 8, WIDTH * 0.4), top=top, axis=axis)


def grid(area: Plot) -> str:
    """Gridlines and tick labels, then the baseline."""
    parts: list[str] = []
    for tick in area.axis.ticks:
        y = area.y(tick * area.axis.unit)
        parts.append(_line(area.left, y, RIGHT, y, "dc-grid", GRID[0]))
        label = fit(area.axis.label(tick), area.left - 4, SMALL)
        parts.append(text(area.left - 4, y + 4, label, anchor="end", size=SMALL, muted=True))
    parts.append(_line(area.left, area.bottom, RIGHT, area.bottom, "dc-axis", MUTED[0]))
    return "".join(parts)


def _line(x1: float, y1: float, x2: float, y2: float, kind: str, colour: str) -> str:
    return tag("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "class": kind, "stroke": colour})


def category_labels(area: Plot, labels: Sequence[str], centre: Callable[[int], float]) -> str:
    """Labels under the plot at `centre(i)`; every k-th only when they would not fit."""
    if not labels:
        return ""
    shown = [fit(label, area.width, SMALL) for label in labels]
    widest = max(width_of(label, SMALL) for label in shown) + 8
    spacing = area.width / len(labels)
    step = max(1, math.ceil(widest / spacing))
    parts: list[str] = []
    for index in range(0, len(labels), step):
        half = width_of(shown[index], SMALL) / 2
        x = min(max(centre(index), half), WIDTH - half)
        parts.append(text(x, area.bottom + 15, shown[index], anchor="middle", size=SMALL))
    return "".join(parts)
