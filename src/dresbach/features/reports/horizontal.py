"""Charts of named rows: horizontal bars (satisfaction by team or operator, with how many
answered) and the funnel (offered → paid → booked → held). Re-exported by `charts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dresbach.features.reports import formatting, texts
from dresbach.features.reports.svg import (
    FONT,
    GRID,
    LARGEST,
    SMALL,
    WIDTH,
    Attributes,
    Chart,
    Table,
    empty,
    fit,
    frame,
    series_class,
    tag,
    text,
    tooltip,
    width_of,
)

BAR_ROW = 40.0
FUNNEL_ROW = 60.0


@dataclass(frozen=True, slots=True)
class Bar:
    """One row: a name, its value (an average score) and how many values made it."""

    label: str
    value: float
    count: int


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of a funnel and how many reached it."""

    label: str
    count: int


def _counted(count: int, words: tuple[str, str]) -> str:
    return f"{formatting.number(count)} {words[0] if count == 1 else words[1]}"


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    headers: tuple[str, str, str],
    bars: Sequence[Bar],
    top: float | None = None,
    places: int = 1,
    count_words: tuple[str, str] = texts.COUNT_WORDS,
) -> Chart:
    """A bar per row, its name above it and "4,6 · 23 avaliações" after it, over a track
    that runs to `top` (the highest possible value, e.g. 5; by default the highest value).

    `headers`: the table's columns for the name, the value and the count.
    """
    for bar in bars:
        if not 0 <= bar.value <= LARGEST or bar.count < 0:
            raise ValueError(f"{bar.label!r} has a value that cannot be drawn: {bar!r}")
        if top is not None and bar.value > top:
            raise ValueError(f"{bar.label!r} is above the top of the scale ({top})")
    if not bars:
        return empty(chart_id, title, description, headers)
    scale = top if top is not None else max(bar.value for bar in bars)
    notes = [
        f"{formatting.number(b.value, places)} · {_counted(b.count, count_words)}" for b in bars
    ]
    room = max(WIDTH * 0.5, WIDTH - 6 - max(width_of(note, SMALL) for note in notes))
    parts: list[str] = []
    sentences = [description]
    for i, (bar, note) in enumerate(zip(bars, notes, strict=True)):
        y = 4 + i * BAR_ROW
        parts.append(text(0, y + 12, fit(bar.label, WIDTH, FONT)))
        track: Attributes = {"x": 0, "y": y + 18, "width": room, "height": 12}
        parts.append(tag("rect", {**track, "class": "dc-track", "fill": GRID[0]}))
        length = room * bar.value / scale if scale > 0 else 0.0
        if length > 0:
            shape: Attributes = {**track, "width": length, **series_class(0)}
            parts.append(tag("rect", shape, tooltip(f"{bar.label}: {note}")))
        parts.append(text(room + 4, y + 28, fit(note, WIDTH - room - 4, SMALL), size=SMALL))
        sentences.append(texts.BARS_SENTENCE.format(label=bar.label, value=note))
    rows = tuple(
        (bar.label, formatting.number(bar.value, places), formatting.number(bar.count))
        for bar in bars
    )
    height = 8 + len(bars) * BAR_ROW
    svg = frame(chart_id, title, " ".join(sentences).strip(), height, "".join(parts))
    return Chart(svg=svg, table=Table(caption=title, header=headers, rows=rows))


def _share(part: int, whole: int) -> str | None:
    return formatting.percent(part / whole) if whole > 0 else None


def funnel_chart(*, chart_id: str, title: str, description: str, stages: Sequence[Stage]) -> Chart:
    """Centred bars, one per stage, each with its count, its share of the first stage and of
    the stage before it ("40% do início · 60% da etapa anterior")."""
    if any(stage.count < 0 for stage in stages):
        raise ValueError("a stage cannot have fewer than zero")
    header = texts.FUNNEL_HEADER
    if not any(stage.count for stage in stages):
        return empty(chart_id, title, description, header)
    first, widest = stages[0].count, max(stage.count for stage in stages)
    parts: list[str] = []
    rows: list[tuple[str, ...]] = []
    sentences = [description]
    for i, stage in enumerate(stages):
        y = 4 + i * FUNNEL_ROW
        count = formatting.number(stage.count)
        headline = f"{stage.label}: {count}"
        parts.append(text(WIDTH / 2, y + 13, fit(headline, WIDTH), anchor="middle"))
        start = _share(stage.count, first) if i else None
        previous = _share(stage.count, stages[i - 1].count) if i else None
        shares = [
            *([texts.FROM_START.format(percent=start)] if start else []),
            # right after the first stage, the stage before is the start: said once
            *([texts.FROM_PREVIOUS.format(percent=previous)] if previous and i > 1 else []),
        ]
        if shares:
            words = fit(" · ".join(shares), WIDTH, SMALL)
            parts.append(text(WIDTH / 2, y + 28, words, anchor="middle", size=SMALL, muted=True))
        note = " · ".join([headline, *shares])
        if stage.count:
            length = max(2.0, (WIDTH - 16) * stage.count / widest)
            shape = {"x": (WIDTH - length) / 2, "y": y + 34, "width": length, "height": 18}
            parts.append(tag("rect", {**shape, **series_class(0)}, tooltip(note)))
        rows.append((stage.label, count, start or "-", previous or "-"))
        sentences.append(f"{note}.")
    height = 8 + len(stages) * FUNNEL_ROW
    svg = frame(chart_id, title, " ".join(sentences).strip(), height, "".join(parts))
    return Chart(svg=svg, table=Table(caption=title, header=header, rows=tuple(rows)))
