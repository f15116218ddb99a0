"""Charts as SVG strings, drawn on the server: no JavaScript, no build step, no dependency.

Each function returns a `Chart`: the SVG (`role="img"`, named by its `<title>` and described
by its `<desc>`, both pt-BR) and a `Table` with every value as text, for the page to show beside
it (`Chart.html()` puts it in a `<details>`). Names and labels may come from operators: they are
escaped and cleaned of what XML cannot hold. An empty period draws "Sem dados no período".
Values must be from 0 to `svg.LARGEST` (`ValueError` otherwise). Serve `svg.STYLESHEET` with
the page for the colours of light and dark mode. Horizontal bars and the funnel are in `horizontal`.

- `bar_chart`: one bar per day, the series stacked (volume by day by team) or side by side.
- `line_chart`: one line per series (median and p90 per day), gaps where a day has no value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dresbach.features.reports import axes, formatting, texts
from dresbach.features.reports.horizontal import Bar, Stage, funnel_chart, horizontal_bar_chart
from dresbach.features.reports.svg import (
    GROUND,
    LARGEST,
    SMALL,
    Attributes,
    Chart,
    Table,
    empty,
    frame,
    legend,
    nice_ticks,
    series_class,
    tag,
    text,
    tooltip,
    width_of,
)

__all__ = [
    "Bar",
    "Series",
    "Stage",
    "bar_chart",
    "funnel_chart",
    "horizontal_bar_chart",
    "line_chart",
]

DASHES = ("", "6 3", "2 3", "8 3 2 3")
"""Each line also differs by its dash and its marker, not by colour alone."""


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values, one per category (`None`: no value that day, lines only)."""

    name: str
    values: tuple[float | None, ...]


def _checked(categories: Sequence[str], series: Sequence[Series], gaps: bool) -> None:
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"{one.name!r} has {len(one.values)} values, not {len(categories)}")
        for value in one.values:
            if value is None and gaps:
                continue
            if value is None or not 0 <= value <= LARGEST:
                raise ValueError(f"{one.name!r} has a value that is not a count: {value!r}")


def _value(value: float | None) -> float:
    return 0.0 if value is None else value


def _square(index: int, x: float, y: float) -> str:
    return tag("rect", {"x": x, "y": y, "width": 11, "height": 11, **series_class(index)})


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    category_header: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = True,
) -> Chart:
    """Vertical bars, one per category (a day), the series stacked or side by side.

    The total of each bar (stacked) or each value (side by side) is written above it where it
    fits; the table holds them all. All zero is drawn as an empty period.
    """
    _checked(categories, series, gaps=False)
    sums = [sum(_value(one.values[i]) for one in series) for i in range(len(categories))]
    header = (category_header, *(one.name for one in series))
    if len(series) > 1:
        header = (*header, texts.TOTAL)
    if not any(sums):
        return empty(chart_id, title, description, header)
    highest = max(sums) if stacked else max(_value(v) for one in series for v in one.values)
    integral = all(float(_value(v)).is_integer() for one in series for v in one.values)
    axis = axes.ValueAxis(ticks=tuple(nice_ticks(highest, whole=integral)))
    keys, keys_height = legend([one.name for one in series], 0.0, _square)
    area = axes.plot(axis, keys_height + 18)  # room for the totals above the tallest bar
    band = area.width / len(categories)
    parts = [keys, axes.grid(area)]
    for i, category in enumerate(categories):
        left = area.left + i * band
        if stacked:
            parts.append(_stack(area, category, series, i, left + band * 0.15, band * 0.7))
            label = formatting.trimmed(sums[i], 2)
            if width_of(label, SMALL) <= band:
                y = area.y(sums[i]) - 3
                parts.append(text(left + band / 2, y, label, anchor="middle", size=SMALL))
        else:
            parts.append(_group(area, category, series, i, left + band * 0.1, band * 0.8))
    parts.append(axes.category_labels(area, categories, lambda i: area.left + (i + 0.5) * band))
    rows = tuple(
        (category, *(formatting.trimmed(_value(one.values[i]), 2) for one in series))
        + ((formatting.trimmed(sums[i], 2),) if len(series) > 1 else ())
        for i, category in enumerate(categories)
    )
    peak = max(range(len(categories)), key=lambda i: sums[i])
    summary = " ".join(
        [
            description,
            texts.TOTAL_SENTENCE.format(total=formatting.trimmed(sum(sums), 2)),
            texts.PEAK_SENTENCE.format(
                day=categories[peak], value=formatting.trimmed(sums[peak], 2)
            ),
        ]
    ).strip()
    svg = frame(chart_id, title, summary, area.height, "".join(parts))
    return Chart(svg=svg, table=Table(caption=title, header=header, rows=rows))


def _bar(x: float, top: float, width: float, bottom: float, index: int, note: str) -> str:
    colour = series_class(index)
    attributes: Attributes = {"x": x, "y": top, "width": width, "height": bottom - top}
    attributes.update(colour, **{"class": colour["class"] + " dc-gap"})
    attributes.update({"stroke": GROUND[0], "stroke-width": 0.5})
    return tag("rect", attributes, tooltip(note))


def _stack(
    area: axes.Plot, category: str, series: Sequence[Series], i: int, x: float, width: float
) -> str:
    parts: list[str] = []
    below = 0.0
    for index, one in enumerate(series):
        value = _value(one.values[i])
        if value > 0:
            note = f"{category} · {one.name}: {formatting.trimmed(value, 2)}"
            top, bottom = area.y(below + value), area.y(below)
            parts.append(_bar(x, top, width, bottom, index, note))
        below += value
    return "".join(parts)


def _group(
    area: axes.Plot, category: str, series: Sequence[Series], i: int, x: float, width: float
) -> str:
    parts: list[str] = []
    each = width / len(series)
    for index, one in enumerate(series):
        value = _value(one.values[i])
        label = formatting.trimmed(value, 2)
        left = x + index * each
        if value > 0:
            note = f"{category} · {one.name}: {label}"
            parts.append(_bar(left, area.y(value), each, area.bottom, index, note))
        if width_of(label, SMALL) <= each + 2:
            y = area.y(value) - 3
            parts.append(text(left + each / 2, y, label, anchor="middle", size=SMALL))
    return "".join(parts)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    category_header: str,
    categories: Sequence[str],
    series: Sequence[Series],
    seconds: bool = True,
) -> Chart:
    """Lines over the categories (days), one per series, broken where a value is `None`.

    `seconds`: the values are durations in seconds, shown as "12 min" and "2 h 05 min";
    otherwise counts. Lines differ by colour, dash and marker shape.
    """
    _checked(categories, series, gaps=True)
    show = formatting.duration if seconds else (lambda v: formatting.trimmed(v, 2))
    header = (category_header, *(one.name for one in series))
    present = [v for one in series for v in one.values if v is not None]
    if not present:
        return empty(chart_id, title, description, header)
    highest = max(present)
    axis = axes.seconds_axis(highest) if seconds else axes.count_axis(highest)
    keys, keys_height = legend([one.name for one in series], 0.0, _line_key)
    area = axes.plot(axis, keys_height + 8)
    inner = area.width - 12
    step = inner / (len(categories) - 1) if len(categories) > 1 else 0.0

    def x_of(i: int) -> float:
        return area.left + 6 + (i * step if len(categories) > 1 else inner / 2)

    parts = [keys, axes.grid(area)]
    sentences = [description]
    for index, one in enumerate(series):
        points = [
            (x_of(i), area.y(v), f"{categories[i]} · {one.name}: {show(v)}")
            for i, v in enumerate(one.values)
            if v is not None
        ]
        parts.append(_path(index, one.values, x_of, area))
        parts.extend(_marker(index, x, y, tooltip(note)) for x, y, note in points)
        values = [v for v in one.values if v is not None]
        if values:
            low, high = show(min(values)), show(max(values))
            sentences.append(texts.LINE_SENTENCE.format(series=one.name, low=low, high=high))
    parts.append(axes.category_labels(area, categories, x_of))
    rows = tuple(
        (
            category,
            *("-" if one.values[i] is None else show(_value(one.values[i])) for one in series),
        )
        for i, category in enumerate(categories)
    )
    svg = frame(chart_id, title, " ".join(sentences).strip(), area.height, "".join(parts))
    return Chart(svg=svg, table=Table(caption=title, header=header, rows=rows))


def _path(
    index: int, values: Sequence[float | None], x_of: Callable[[int], float], area: axes.Plot
) -> str:
    commands: list[str] = []
    pen_down = False
    for i, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{x_of(i):.2f} {area.y(value):.2f}")
        pen_down = True
    if not any(c.startswith("L") for c in commands):
        return ""
    attributes: Attributes = {
        "d": " ".join(commands),
        "fill": "none",
        "stroke-width": 2,
        **series_class(index, "l"),
    }
    if DASHES[index % len(DASHES)]:
        attributes["stroke-dasharray"] = DASHES[index % len(DASHES)]
    return tag("path", attributes)


def _marker(index: int, x: float, y: float, content: str = "") -> str:
    """Circle, square, triangle or diamond, by series."""
    shape = index % 4
    colour = series_class(index)
    if shape == 0:
        return tag("circle", {"cx": x, "cy": y, "r": 3, **colour}, content)
    if shape == 1:
        return tag("rect", {"x": x - 3, "y": y - 3, "width": 6, "height": 6, **colour}, content)
    corners = (
        [(x, y - 3.5), (x + 3.5, y + 3), (x - 3.5, y + 3)]
        if shape == 2
        else [(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)]
    )
    path = "M" + " L".join(f"{cx:.2f} {cy:.2f}" for cx, cy in corners) + " Z"
    return tag("path", {"d": path, **colour}, content)


def _line_key(index: int, x: float, y: float) -> str:
    attributes: Attributes = {
        "d": f"M{x:.2f} {y + 5.5:.2f} H{x + 12:.2f}",
        "fill": "none",
        "stroke-width": 2,
        **series_class(index, "l"),
    }
    if DASHES[index % len(DASHES)]:
        attributes["stroke-dasharray"] = DASHES[index % len(DASHES)]
    return tag("path", attributes) + _marker(index, x + 6, y + 5.5)
