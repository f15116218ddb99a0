"""The operators' desk tools in real chromium, against `dresbach serve` as a process talking to
a fake Graph API: a canned reply with a variable goes out filled in; a close with a label is
followed by the customer's rating, which arrives in the report whose charts render; and every
console page fits a phone's width (390 px) without scrolling sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.features.operators.test_browser_console import (
    SCREENSHOTS,
    Live,
    live,
    log_in,
)
from tests.support.meta import text_of

pytestmark = pytest.mark.browser
__all__ = ["live"]  # the fixture, shared


def _take_a_waiting_customer(page: Page, live: Live, *, logged_in: bool = False) -> None:
    customer = live.customer()
    customer.says("oi")
    customer.says("atendente")
    if not logged_in:
        log_in(page, live)
    else:
        page.get_by_role("link", name="Fila").click()
    waiting = page.get_by_test_id("queue-item")
    expect(waiting).to_have_count(1, timeout=15_000)
    waiting.get_by_role("link").first.click()
    page.get_by_role("button", name="Assumir").click()
    expect(page.get_by_test_id("handoff-status")).to_have_text("com você")


def test_a_canned_reply_with_a_variable_reaches_whatsapp_filled_in(page: Page, live: Live) -> None:
    log_in(page, live)
    page.get_by_role("link", name="Respostas prontas").click()
    page.get_by_label("Atalho").fill("prazo")
    page.get_by_label("Título").fill("Tempo de propagação")
    page.get_by_label("Texto").fill("{nome}, a propagação do DNS leva até 24 horas.")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_test_id("notice")).to_have_text("Resposta pronta salva.")
    expect(page.get_by_test_id("canned-reply")).to_contain_text("/prazo")

    _take_a_waiting_customer(page, live, logged_in=True)
    page.get_by_label("Sua resposta").press_sequentially("/pra")
    match = page.get_by_test_id("canned-match")
    expect(match).to_have_count(1)
    expect(match.get_by_test_id("canned-preview")).to_have_text(
        "Cliente, a propagação do DNS leva até 24 horas."
    )
    match.get_by_role("button", name="Enviar esta resposta").click()
    sent = live.sent_to_customer(lambda b: "propagação" in text_of(b))
    assert text_of(sent) == "*Ana Lima:* Cliente, a propagação do DNS leva até 24 horas."


def test_a_close_with_a_label_then_the_rating_arrives_in_the_report_and_its_charts_render(
    page: Page, live: Live
) -> None:
    _take_a_waiting_customer(page, live)
    page.get_by_label("Sua resposta").fill("O seu domínio já está apontado.")
    page.get_by_role("button", name="Enviar", exact=True).click()
    live.sent_to_customer(lambda b: "já está apontado" in text_of(b))

    page.get_by_label("Motivo do atendimento").select_option(label="DNS e domínio")
    page.get_by_role("button", name="Encerrar atendimento").click()
    expect(page.get_by_test_id("notice")).to_have_text("Atendimento encerrado.")

    customer = live.customer()
    question = live.sent_to_customer(lambda b: "Como foi o seu atendimento" in text_of(b))
    assert question["interactive"]["type"] == "list"
    customer.taps("4 - Bom")
    live.sent_to_customer(lambda b: "comentário sobre o atendimento" in text_of(b))
    customer.says("Resolveram rápido")

    page.get_by_role("link", name="Relatórios").click()
    expect(page.get_by_role("heading", name="Relatórios", exact=True)).to_be_visible()
    rating = page.get_by_test_id("figure-rating")
    for _ in range(50):  # the rating is kept by a job, apart from the conversation
        if rating.inner_text().startswith("4"):
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(rating).to_have_text("4 · 1")
    expect(page.locator("svg.dc-chart")).to_have_count(7)
    expect(page.get_by_text("DNS e domínio").first).to_be_attached()
    drawn = page.evaluate(
        "[...document.querySelectorAll('svg.dc-chart')].every(s => {"
        " const box = s.getBoundingClientRect(); return box.width > 200 && box.height > 50; })"
    )
    assert drawn
    label_bar = page.locator("#volume-label rect.dc-s0")
    expect(label_bar.first).to_be_attached()
    page.screenshot(path=str(SCREENSHOTS / "console-reports.png"), full_page=True)


PAGES = (
    "/console",
    "/console/payments",
    "/console/leads",
    "/console/bookings",
    "/console/canned",
    "/console/reports",
)


def test_every_console_page_fits_a_phone(browser: Browser, live: Live) -> None:
    context = browser.new_context(locale="pt-BR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        overflow = "document.documentElement.scrollWidth - window.innerWidth"
        page.goto(f"{live.origin}/console/login")
        assert page.evaluate(overflow) <= 0, "/console/login scrolls sideways"
        customer = live.customer()
        customer.says("oi")
        customer.says("atendente")
        log_in(page, live)
        expect(page.get_by_test_id("queue-item")).to_have_count(1, timeout=15_000)
        href = page.get_by_test_id("queue-item").get_by_role("link").first.get_attribute("href")
        assert href is not None
        assert re.match(r"^/console/conversations/\d+$", href)
        too_wide = []
        for path in (*PAGES, href):
            page.goto(f"{live.origin}{path}")
            wider = page.evaluate(overflow)
            if wider > 0:
                too_wide.append(f"{path} by {wider}px")
            page.screenshot(path=str(SCREENSHOTS / f"phone{path.replace('/', '-')}.png"))
        assert too_wide == [], f"pages that scroll sideways at 390 px: {too_wide}"
    finally:
        context.close()
