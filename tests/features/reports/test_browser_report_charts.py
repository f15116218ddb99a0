"""The report charts in real chromium, in a page laid out like the console and served with the
console's own Content-Security-Policy: at a phone's width and a desktop's, nothing overflows,
every word stays inside its chart, and the colours of light and dark mode apply."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, Route

from dresbach.features.reports import overview
from dresbach.features.reports.stats import (
    FunnelEvent,
    HandOffRow,
    Period,
    Stage,
    by_operator,
    funnel,
    response_times_by_day,
    satisfaction,
    volume_by_day,
)
from dresbach.features.reports.svg import DARK, LIGHT, STYLESHEET
from dresbach.web.console.views import SECURITY_HEADERS

pytestmark = pytest.mark.browser

ORIGIN = "http://reports.test"
CONSOLE_CSS = Path(__file__).resolve().parents[3] / "src/dresbach/web/static/console.css"
PERIOD = Period(date(2025, 11, 3), date(2025, 12, 2), ZoneInfo("America/Sao_Paulo"))
START = datetime(2025, 11, 3, 11, 0, tzinfo=UTC)
TEAMS = ["Financeiro", "Suporte técnico", "Consultoria", "Comercial", "Privacidade", "Outros"]
OPERATORS = ["Ana Beatriz de Souza Albuquerque", "<script>Bruno</script>", "Carla"]


def _page_html() -> str:
    rows = [
        HandOffRow(
            opened_at=START + timedelta(hours=5 * i),
            team=TEAMS[i % 5] if i % 11 else TEAMS[5],
            operator=OPERATORS[i % 3],
            first_response_at=START + timedelta(hours=5 * i, minutes=(i * 37) % 300),
            closed_at=START + timedelta(hours=5 * i + (i % 30)),
            rating=(i % 5) + 1,
        )
        for i in range(140)
    ]
    days = response_times_by_day(rows, PERIOD)
    events = [
        FunnelEvent(lead_id=str(i), stage=stage, at=START + timedelta(days=i % 25))
        for i in range(1234)
        for stage in list(Stage)[: 1 + (i * 7) % 4]
    ]
    charts = [
        overview.volume_chart(volume_by_day(rows, PERIOD), PERIOD),
        overview.times_chart(days, PERIOD),
        overview.times_chart(days, PERIOD, resolution=True),
        overview.satisfaction_chart(
            satisfaction(rows, PERIOD, by=by_operator), PERIOD, group="operator"
        ),
        overview.funnel_chart(funnel(events, PERIOD), PERIOD),
    ]
    cards = "".join(
        f'<section class="card"><h2>{escape(c.table.caption)}</h2>{c.html()}</section>'
        for c in charts
    )
    return (
        '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/static/console.css">'
        '<link rel="stylesheet" href="/static/reports.css"><title>Relatórios</title></head>'
        f"<body><main><h1>Relatórios</h1>{cards}</main></body></html>"
    )


@pytest.fixture(scope="module")
def report_html() -> str:
    return _page_html()


@contextmanager
def _open(
    browser: Browser, html: str, width: int, scheme: Literal["light", "dark"] = "light"
) -> Iterator[Page]:
    context = browser.new_context(
        locale="pt-BR",
        viewport={"width": width, "height": 800},
        color_scheme=scheme,
    )
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    bodies = {
        "/reports": (html, "text/html; charset=utf-8"),
        "/static/console.css": (CONSOLE_CSS.read_text(), "text/css"),
        "/static/reports.css": (STYLESHEET, "text/css"),
    }

    def serve(route: Route) -> None:
        body, kind = bodies[route.request.url.removeprefix(ORIGIN)]
        route.fulfill(body=body, headers={**SECURITY_HEADERS, "Content-Type": kind})

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/reports")
    for details in page.locator("details").all():
        details.evaluate("node => { node.open = true; }")
    try:
        yield page
        assert not [text for text in refused if "Content Security Policy" in text]
    finally:
        context.close()


OUTSIDE = """() => [...document.querySelectorAll('svg.dc-chart')].flatMap((svg) => {
  const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text, rect, path, circle, line')].map((node) => {
    const b = node.getBBox();
    const out = b.x < -0.5 || b.y < -0.5 || b.x + b.width > box.width + 0.5
      || b.y + b.height > box.height + 0.5;
    const where = `${b.x},${b.y} ${b.width}x${b.height} in ${box.width}x${box.height}`;
    return out ? `${svg.id}: <${node.tagName}> ${node.textContent} ${where}` : null;
  }).filter(Boolean);
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_charts_fit_the_screen_and_keep_every_word_inside(
    browser: Browser, report_html: str, width: int
) -> None:
    with _open(browser, report_html, width) as page:
        assert page.locator("svg.dc-chart").count() == 5
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        assert page.evaluate(OUTSIDE) == []
        # the smallest words (12 units) are still about 10 px tall on a phone
        scale = page.evaluate(
            "(() => { const s = document.querySelector('svg.dc-chart');"
            " return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()"
        )
        assert 12 * scale >= 10
        assert page.get_by_text("Bruno").count() >= 1  # the name escaped, shown, not run


@pytest.mark.parametrize(("scheme", "palette"), [("light", LIGHT), ("dark", DARK)])
def test_the_stylesheet_gives_each_mode_its_colours_under_the_console_policy(
    browser: Browser, report_html: str, scheme: Literal["light", "dark"], palette: tuple[str, ...]
) -> None:
    with _open(browser, report_html, 900, scheme) as page:
        fill = page.evaluate("getComputedStyle(document.querySelector('rect.dc-s0')).fill")
        red, green, blue = (int(palette[0][i : i + 2], 16) for i in (1, 3, 5))
        assert fill == f"rgb({red}, {green}, {blue})"
