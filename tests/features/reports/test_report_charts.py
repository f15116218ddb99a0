"""The report charts as SVG: well-formed, accessible (a name, a description, every value as
text), escaped, drawn inside their viewBox whatever the data, and an empty period that says so."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dresbach.features.reports import charts, formatting
from dresbach.features.reports.svg import DARK, GROUND, LIGHT, SMALL, STYLESHEET, Chart, width_of

SVG = "{http://www.w3.org/2000/svg}"
DAYS = [date(2025, 12, 1) + timedelta(days=i) for i in range(7)]
LABELS = [formatting.day_label(day) for day in DAYS]
HOSTILE = "<script>alert('x')</script> & \"Zé\""


def parsed(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)  # noqa: S314 - our own output, to prove it well-formed


def texts_of(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def bars(**overrides: object) -> Chart:
    arguments: dict[str, object] = {
        "chart_id": "volume",
        "title": "Atendimentos por dia",
        "description": "Pedidos de atendimento por dia.",
        "category_header": "Dia",
        "categories": LABELS[:3],
        "series": [
            charts.Series("Financeiro", (3.0, 0.0, 1200.0)),
            charts.Series("Suporte técnico", (2.0, 5.0, 34.0)),
        ],
    }
    arguments.update(overrides)
    return charts.bar_chart(**arguments)  # type: ignore[arg-type]


def lines(values: tuple[float | None, ...] = (60.0, None, 7500.0)) -> Chart:
    return charts.line_chart(
        chart_id="first-response",
        title="Tempo até a primeira resposta",
        description="Mediana por dia.",
        category_header="Dia",
        categories=LABELS[: len(values)],
        series=[charts.Series("Mediana", values), charts.Series("p90", values)],
    )


def satisfaction(*rows: charts.Bar) -> Chart:
    return charts.horizontal_bar_chart(
        chart_id="satisfaction-team",
        title="Satisfação por equipe",
        description="Nota média de 1 a 5.",
        headers=("Equipe", "Nota média", "Avaliações"),
        bars=rows,
        top=5,
    )


def tech_ops_funnel(*counts: int) -> Chart:
    names = ["Diagnóstico oferecido", "Diagnóstico pago", "Reunião marcada", "Reunião realizada"]
    return charts.funnel_chart(
        chart_id="funnel",
        title="Funil da Consultoria Tech Ops",
        description="Leads do período.",
        stages=[charts.Stage(name, count) for name, count in zip(names, counts, strict=False)],
    )


# -- accessible and well-formed ------------------------------------------------------------


@pytest.mark.parametrize(
    "chart",
    [
        bars(),
        bars(stacked=False),
        lines(),
        satisfaction(charts.Bar("Financeiro", 4.5, 2)),
        tech_ops_funnel(10, 4, 3, 2),
        bars(series=[charts.Series("Financeiro", (0.0, 0.0, 0.0))]),
    ],
    ids=["stacked", "grouped", "lines", "horizontal", "funnel", "empty"],
)
def test_every_chart_is_an_image_named_and_described_in_pt_br(chart: Chart) -> None:
    root = parsed(chart)
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")

    assert root.get("role") == "img"
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text == chart.table.caption
    assert desc.text
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 320 [0-9.]+", root.get("viewBox") or "")
    # the console's Content-Security-Policy (style-src 'self') drops inline styles
    assert root.find(f".//{SVG}style") is None
    assert all(node.get("style") is None for node in root.iter())
    assert "<script" not in chart.svg


def test_stacked_bars_write_each_total_and_the_table_holds_every_value() -> None:
    chart = bars()
    assert {"5", "1.234"} <= set(texts_of(parsed(chart)))
    assert chart.table.header == ("Dia", "Financeiro", "Suporte técnico", "Total")
    assert chart.table.rows == (
        ("seg 01/12", "3", "2", "5"),
        ("ter 02/12", "0", "5", "5"),
        ("qua 03/12", "1.200", "34", "1.234"),
    )
    desc = parsed(chart).find(f"{SVG}desc")
    assert desc is not None
    assert "Total no período: 1.244." in (desc.text or "")
    assert "qua 03/12, com 1.234" in (desc.text or "")


def test_side_by_side_bars_write_each_value_above_its_bar_where_it_fits() -> None:
    chart = bars(stacked=False)
    shown = texts_of(parsed(chart))
    assert {"3", "2", "0", "5", "34"} <= set(shown)
    # too wide for a bar a third of a phone wide: in the table only
    assert "1.200" not in shown
    assert chart.table.rows[2] == ("qua 03/12", "1.200", "34", "1.234")


def test_lines_write_durations_in_words_and_leave_a_gap_for_a_day_without_value() -> None:
    chart = lines()
    assert chart.table.rows[0] == ("seg 01/12", "1 min", "1 min")
    assert chart.table.rows[1] == ("ter 02/12", "-", "-")
    assert chart.table.rows[2] == ("qua 03/12", "2 h 05 min", "2 h 05 min")
    root = parsed(chart)
    paths = [p.get("d") or "" for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    # two separate points: nothing to join, each drawn as a marker only
    assert not [d for d in paths if "L" in d and d.count("M") == 1 and " H" not in d]
    assert "Mediana: de 1 min a 2 h 05 min." in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_horizontal_bars_write_the_score_and_how_many_answered() -> None:
    chart = satisfaction(charts.Bar("Financeiro", 4.625, 23), charts.Bar("Suporte", 3.0, 1))
    assert {"Financeiro", "4,6 · 23 avaliações", "Suporte", "3,0 · 1 avaliação"} <= set(
        texts_of(parsed(chart))
    )
    assert chart.table.rows == (("Financeiro", "4,6", "23"), ("Suporte", "3,0", "1"))


def test_the_funnel_writes_counts_and_shares_of_the_start_and_of_the_stage_before() -> None:
    chart = tech_ops_funnel(1200, 480, 400, 310)
    shown = texts_of(parsed(chart))
    assert "Diagnóstico oferecido: 1.200" in shown
    assert "40% do início" in shown  # said once right after the start
    assert "33,3% do início · 83,3% da etapa anterior" in shown
    assert chart.table.rows[3] == ("Reunião realizada", "310", "25,8%", "77,5%")


# -- escaping ------------------------------------------------------------------------------


def test_names_from_operators_are_escaped_everywhere() -> None:
    charts_with_names = [
        bars(series=[charts.Series(HOSTILE, (1.0, 2.0, 3.0))], categories=[HOSTILE, "b", "c"]),
        satisfaction(charts.Bar(HOSTILE, 5, 1)),
        tech_ops_funnel(3, 2),
    ]
    for chart in charts_with_names[:2]:
        root = parsed(chart)
        assert not root.findall(f".//{SVG}script")
        assert any(HOSTILE in "".join(t.itertext()) for t in root.iter(f"{SVG}title"))
        table = chart.table.html()
        assert "<script>" not in table
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Zé&quot;" in table
    escaped_id = bars(title=HOSTILE)
    assert parsed(escaped_id).find(f"{SVG}title").text == HOSTILE  # type: ignore[union-attr]


def test_characters_xml_cannot_hold_are_replaced_not_fatal() -> None:
    name = "Ana\x00\x08 Beatriz\ud800\nSilva"
    root = parsed(satisfaction(charts.Bar(name, 4, 2)))
    assert "Ana\ufffd\ufffd Beatriz\ufffd Silva" in texts_of(root)


def test_a_chart_id_that_is_not_a_plain_name_is_refused() -> None:
    with pytest.raises(ValueError, match="chart id"):
        bars(chart_id='x" onload="alert(1)')


# -- empty and wrong data ------------------------------------------------------------------


@pytest.mark.parametrize(
    "chart",
    [
        bars(categories=[], series=[charts.Series("Financeiro", ())]),
        bars(series=[charts.Series("Financeiro", (0.0, 0.0, 0.0))]),
        lines((None, None)),
        satisfaction(),
        tech_ops_funnel(0, 0, 0, 0),
        tech_ops_funnel(),
    ],
    ids=["no-days", "all-zero", "no-times", "no-ratings", "funnel-zero", "no-stages"],
)
def test_an_empty_period_says_so_in_the_picture_the_description_and_the_table(
    chart: Chart,
) -> None:
    root = parsed(chart)
    assert "Sem dados no período" in texts_of(root)
    assert "Sem dados no período." in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert chart.table.rows == ()
    assert "Sem dados no período" in chart.table.html()
    assert "Ver os números" in chart.html()


@pytest.mark.parametrize(
    "series",
    [
        [charts.Series("x", (1.0, -1.0, 2.0))],
        [charts.Series("x", (1.0, float("nan"), 2.0))],
        [charts.Series("x", (1.0, float("inf"), 2.0))],
        [charts.Series("x", (1.0, None, 2.0))],
        [charts.Series("x", (1.0, 2.0))],
    ],
)
def test_values_that_cannot_be_drawn_are_refused(series: list[charts.Series]) -> None:
    with pytest.raises(ValueError, match="'x'"):
        bars(series=series)


def test_a_score_above_the_top_of_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="above the top"):
        satisfaction(charts.Bar("Financeiro", 5.5, 2))


# -- phone width: thinned labels -----------------------------------------------------------


def test_many_days_show_fewer_labels_that_never_overlap() -> None:
    month = [date(2025, 12, 1) + timedelta(days=i) for i in range(31)]
    chart = bars(
        categories=[formatting.day_label(day) for day in month],
        series=[charts.Series("Financeiro", tuple(float(i % 7) for i in range(31)))],
    )
    root = parsed(chart)
    labels = [t for t in root.iter(f"{SVG}text") if re.fullmatch(r"\w+ \d\d/12", t.text or "")]
    assert 2 < len(labels) < 31
    spans = sorted(
        (float(t.get("x") or 0) - width_of(t.text or "", SMALL) / 2, width_of(t.text or "", SMALL))
        for t in labels
    )
    for (left, width), (next_left, _) in itertools.pairwise(spans):
        assert left + width <= next_left
    assert len(chart.table.rows) == 31  # every day is in the table


# -- colours -------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_series_colours_stand_out_from_the_ground_in_light_and_dark_mode() -> None:
    """WCAG 1.4.11: graphics need 3:1 against what is next to them."""
    for palette, ground in ((LIGHT, GROUND[0]), (DARK, GROUND[1])):
        assert all(_contrast(colour, ground) >= 3 for colour in palette)
    assert "prefers-color-scheme:dark" in STYLESHEET
    assert all(f".dc-s{i}{{" in STYLESHEET for i in range(len(LIGHT)))


# -- any data: well-formed and inside the viewBox ------------------------------------------

_NUMBER = re.compile(r"[MLHZ]|-?\d+(?:\.\d+)?")


def _points(node: ET.Element) -> list[tuple[float | None, float | None]]:
    tag = node.tag.removeprefix(SVG)
    get = lambda name: float(node.get(name) or 0)  # noqa: E731
    if tag == "rect":
        return [(get("x"), get("y")), (get("x") + get("width"), get("y") + get("height"))]
    if tag == "line":
        return [(get("x1"), get("y1")), (get("x2"), get("y2"))]
    if tag == "circle":
        r = get("r")
        return [(get("cx") - r, get("cy") - r), (get("cx") + r, get("cy") + r)]
    if tag == "text":
        half = width_of(node.text or "", int(get("font-size"))) / 2
        centre = get("x") + {"start": half, "end": -half}.get(node.get("text-anchor", "start"), 0)
        return [(centre - half, get("y") - get("font-size")), (centre + half, get("y"))]
    if tag == "path":
        found: list[tuple[float | None, float | None]] = []
        command, numbers = "M", []
        for token in _NUMBER.findall(node.get("d") or ""):
            if token.isalpha():
                command, numbers = token, []
                continue
            numbers.append(float(token))
            if command == "H":
                found.append((numbers.pop(), None))
            elif len(numbers) == 2:
                found.append((numbers[0], numbers[1]))
                numbers = []
        return found
    return []


def assert_inside(chart: Chart) -> None:
    root = parsed(chart)
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    for node in root.iter():
        for x, y in _points(node):
            assert x is None or -0.01 <= x <= width + 0.01, (node.tag, node.attrib, node.text)
            assert y is None or -0.01 <= y <= height + 0.01, (node.tag, node.attrib, node.text)
    assert "Ver os números" in chart.html()


names = st.text(min_size=0, max_size=40)
amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False)


@st.composite
def table_data(draw: st.DrawFn, gaps: bool) -> tuple[list[str], list[charts.Series]]:
    days = draw(st.integers(0, 45))
    values = st.one_of(st.none(), amounts) if gaps else amounts
    count = draw(st.integers(1, 9))
    series = [
        charts.Series(draw(names), tuple(draw(st.lists(values, min_size=days, max_size=days))))
        for _ in range(count)
    ]
    return draw(st.lists(names, min_size=days, max_size=days)), series


@settings(max_examples=60, deadline=None)
@given(table_data(gaps=False), st.booleans(), names)
def test_any_bars_render_well_formed_inside_the_view_box(
    data: tuple[list[str], list[charts.Series]], stacked: bool, title: str
) -> None:
    categories, series = data
    assert_inside(bars(categories=categories, series=series, stacked=stacked, title=title))


@settings(max_examples=60, deadline=None)
@given(table_data(gaps=True), st.booleans())
def test_any_lines_render_well_formed_inside_the_view_box(
    data: tuple[list[str], list[charts.Series]], seconds: bool
) -> None:
    categories, series = data
    chart = charts.line_chart(
        chart_id="lines",
        title="t",
        description="d",
        category_header="Dia",
        categories=categories,
        series=series,
        seconds=seconds,
    )
    assert_inside(chart)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds(charts.Bar, names, st.floats(0, 5), st.integers(0, 10**7)), max_size=12))
def test_any_horizontal_bars_render_well_formed_inside_the_view_box(
    rows: list[charts.Bar],
) -> None:
    assert_inside(satisfaction(*rows))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds(charts.Stage, names, st.integers(0, 10**9)), max_size=6))
def test_any_funnel_renders_well_formed_inside_the_view_box(stages: list[charts.Stage]) -> None:
    chart = charts.funnel_chart(chart_id="funnel", title="t", description="d", stages=stages)
    assert_inside(chart)
