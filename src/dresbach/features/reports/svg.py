"""The pieces every chart is made of: escaped elements, the frame, colours, scales, the legend.

Charts are drawn in a coordinate space `WIDTH` units wide, designed for a phone: the SVG scales
to the width of its box (`width="100%"` and a `viewBox`), so at ~300 CSS px a 12-unit label is
still ~11 px tall. Colours come from CSS classes (`STYLESHEET`, served with the page: the
console's Content-Security-Policy allows no inline style) with the light colours repeated as
presentation attributes, so a chart without the stylesheet is still legible.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dresbach.features.reports import texts

WIDTH = 320
LARGEST = 1e15
"""Values above this are refused: no count or duration of a report comes near it."""
FONT = 13
SMALL = 12
LINE = 16
"""Height of one line of text, in units."""

Attributes = dict[str, str | float]

_ID = re.compile(r"[a-z][a-z0-9-]{0,40}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")

LIGHT = ("#0072b2", "#c85200", "#00805c", "#a6447d", "#8a6100", "#4a6f8a", "#555555", "#6b4fa0")
"""Series colours on a white ground (Okabe-Ito hues, darkened to 3:1 contrast or more)."""
DARK = ("#56b4e9", "#e69f00", "#2fc79a", "#e08fc0", "#f0e442", "#9ec3de", "#bbbbbb", "#b9a3e8")
"""The same hues for a dark ground, bright enough for 3:1 against it."""
GROUND = ("#ffffff", "#161b22")
INK = ("#1d2430", "#e6edf3")
MUTED = ("#5b6575", "#a4afbd")
GRID = ("#d9dee6", "#3a4350")


def _theme(which: int) -> str:
    colours = [
        f"--dc-ground:{GROUND[which]}",
        f"--dc-ink:{INK[which]}",
        f"--dc-muted:{MUTED[which]}",
        f"--dc-grid:{GRID[which]}",
    ]
    palette = LIGHT if which == 0 else DARK
    colours += [f"--dc-s{i}:{colour}" for i, colour in enumerate(palette)]
    return ";".join(colours)


STYLESHEET = "\n".join(
    [
        "/* Report charts (dresbach.features.reports): serve beside the page that shows them. */",
        ".dc-chart{display:block;width:100%;max-width:34rem;height:auto;"
        "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;" + _theme(0) + "}",
        "@media (prefers-color-scheme:dark){.dc-chart{" + _theme(1) + "}}",
        ".dc-ground{fill:var(--dc-ground)}",
        ".dc-text{fill:var(--dc-ink)}",
        ".dc-muted{fill:var(--dc-muted)}",
        ".dc-grid{stroke:var(--dc-grid)}",
        ".dc-axis{stroke:var(--dc-muted)}",
        ".dc-track{fill:var(--dc-grid)}",
        ".dc-gap{stroke:var(--dc-ground)}",
        *(f".dc-s{i}{{fill:var(--dc-s{i})}}" for i in range(len(LIGHT))),
        *(f".dc-l{i}{{stroke:var(--dc-s{i})}}" for i in range(len(LIGHT))),
        ".dc-figure{margin:0 0 1rem;max-width:34rem}",
        ".dc-details{overflow-x:auto}",
        ".dc-table caption{text-align:left;font-weight:600}",
        ".dc-table td,.dc-table th{font-variant-numeric:tabular-nums}",
    ]
)


def clean(text: str) -> str:
    """Text safe to put in XML 1.0: no control characters, no lone surrogates, one line."""
    return _SPACE.sub(" ", _NOT_XML.sub("\ufffd", text)).strip()


def escape(text: str) -> str:
    """`clean`, then XML-escaped for an element's content or an attribute value in quotes."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def tag(name: str, attributes: Attributes, content: str = "") -> str:
    """An element; attribute values are escaped here, `content` must be markup already."""
    parts = [name]
    for key, value in attributes.items():
        shown = num(value) if isinstance(value, int | float) else escape(value)
        parts.append(f'{key}="{shown}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{name}>" if content else f"<{opening}/>"


def text(
    x: float, y: float, words: str, *, anchor: str = "start", size: int = FONT, muted: bool = False
) -> str:
    """A line of text; `words` are escaped here."""
    attributes: Attributes = {"x": x, "y": y, "font-size": size}
    if anchor != "start":
        attributes["text-anchor"] = anchor
    attributes.update(
        {"class": "dc-muted", "fill": MUTED[0]} if muted else {"class": "dc-text", "fill": INK[0]}
    )
    return tag("text", attributes, escape(words))


def tooltip(words: str) -> str:
    """A `<title>` child: the value under the pointer, for the sighted."""
    return f"<title>{escape(words)}</title>"


def width_of(words: str, size: int = FONT) -> float:
    """A generous estimate of how wide a line of text is drawn: measured on DejaVu Sans, the
    widest of the usual sans-serif faces (Debian's default), plus 4%."""
    units = 0.0
    for char in words:
        if char in "iIjlft.,:;'|!() []":
            units += 0.36
        elif char in "mwMW@%":
            units += 0.98
        elif char.isupper() or char.isdigit():
            units += 0.68
        else:
            units += 0.6
    return units * size * 1.04


def fit(words: str, room: float, size: int = FONT) -> str:
    """`words` cut with an ellipsis so that they fit in `room` units."""
    words = clean(words)
    if width_of(words, size) <= room:
        return words
    while words and width_of(words + "…", size) > room:
        words = words[:-1]
    return words.rstrip() + "…" if words else ""


def series_class(index: int, kind: str = "s") -> dict[str, str]:
    """The class and the fallback colour of series `index`, as a fill (`s`) or a stroke (`l`)."""
    slot = index % len(LIGHT)
    key = "fill" if kind == "s" else "stroke"
    return {"class": f"dc-{kind}{slot}", key: LIGHT[slot]}


def nice_ticks(top: float, *, whole: bool, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `top` (`whole`: integer steps only)."""
    if top <= 0:
        return [0.0, 1.0]
    rough = max(top / count, 1e-6)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    if whole:
        step = max(1.0, math.ceil(step))
    steps = math.ceil(top / step - 1e-9)
    return [i * step for i in range(steps + 1)]


def check_id(chart_id: str) -> str:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id must match {_ID.pattern}: {chart_id!r}")
    return chart_id


def frame(chart_id: str, title: str, description: str, height: float, body: str) -> str:
    """The root element: accessible name and description, the ground, then `body`."""
    check_id(chart_id)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    ground = tag(
        "rect",
        {"class": "dc-ground", "x": 0, "y": 0, "width": WIDTH, "height": height, "fill": GROUND[0]},
    )
    inner = (
        tag("title", {"id": title_id}, escape(title))
        + tag("desc", {"id": desc_id}, escape(description))
        + ground
        + body
    )
    attributes: Attributes = {
        "xmlns": "http://www.w3.org/2000/svg",
        "id": chart_id,
        "class": "dc-chart",
        "viewBox": f"0 0 {WIDTH} {num(height)}",
        "width": "100%",
        "role": "img",
        "aria-labelledby": title_id,
        "aria-describedby": desc_id,
        "font-size": FONT,
    }
    return tag("svg", attributes, inner)


@dataclass(frozen=True, slots=True)
class Table:
    """Every value of a chart as text, for a table beside it (and screen readers)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def html(self) -> str:
        head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in self.header)
        body = "".join(
            f'<tr><th scope="row">{escape(row[0])}</th>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in self.rows
        )
        if not self.rows:
            body = f'<tr><td colspan="{len(self.header)}">{escape(texts.NO_DATA)}</td></tr>'
        return (
            f'<table class="dc-table"><caption>{escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart and the same numbers as a table."""

    svg: str
    table: Table

    def html(self) -> str:
        """The chart in a `<figure>`, with its numbers in a `<details>` below it."""
        return (
            f'<figure class="dc-figure">{self.svg}<details class="dc-details">'
            f"<summary>{escape(texts.SHOW_NUMBERS)}</summary>{self.table.html()}"
            "</details></figure>"
        )


def empty(chart_id: str, title: str, description: str, header: Sequence[str]) -> Chart:
    """The chart of a period with nothing in it: says so in words, in the picture too."""
    height = 96.0
    words = text(WIDTH / 2, height / 2 + FONT / 3, texts.NO_DATA, anchor="middle", muted=True)
    summary = f"{description} {texts.NO_DATA}.".strip()
    svg = frame(chart_id, title, summary, height, words)
    return Chart(svg=svg, table=Table(caption=title, header=tuple(header), rows=()))


def legend(
    names: Sequence[str], top: float, swatch: Callable[[int, float, float], str]
) -> tuple[str, float]:
    """Series names, each after `swatch(index, x, y)` (a 12×12 mark at x, y), wrapped into
    rows; returns the markup and its height."""
    parts: list[str] = []
    x, y = 0.0, top
    for index, name in enumerate(names):
        label = fit(name, WIDTH - 20, SMALL)
        span = 16 + width_of(label, SMALL) + 12
        if x > 0 and x + span > WIDTH:
            x, y = 0.0, y + LINE
        parts.append(swatch(index, x, y + 1))
        parts.append(text(x + 16, y + SMALL, label, size=SMALL))
        x += span
    return "".join(parts), (y - top) + LINE
