"""The `/simulator` page in real chromium, against the real service in sandbox mode.

Read like transcripts: the user types or taps, the page shows what the bot sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import create_engine

from dresbach.features.privacy.flow.texts import TEXTS as PRIVACY
from dresbach.kernel.messages import UrlButton
from dresbach.platform.whatsapp import sandbox_store
from dresbach.platform.whatsapp.render import render

pytestmark = pytest.mark.browser

USER = "5511999990000"
MENU = [
    "Consultoria Tech Ops",
    "Área do Cliente",
    "Falar com atendente",
    "Privacidade e seus dados",
]
SCREENSHOT = Path("/tmp/simulator.png")


def open_simulator(page: Page, service: str) -> None:
    page.goto(f"{service}/simulator")
    expect(page.get_by_test_id("title")).to_have_text("Dresbach Assistente — simulador (sandbox)")


def bot_messages(page: Page) -> Locator:
    return page.get_by_test_id("bot-message")


def user_messages(page: Page) -> Locator:
    return page.get_by_test_id("user-message")


def menus(page: Page) -> Locator:
    """Bot messages offering the main menu (a list)."""
    return (
        bot_messages(page)
        .filter(has_text="Como posso ajudar você hoje?")
        .filter(has=page.get_by_test_id("list-open"))
    )


def open_menu(page: Page, menu: Locator) -> Locator:
    """Open a menu's list; the panel with its rows."""
    menu.get_by_test_id("list-open").click()
    panel = page.get_by_test_id("list-panel")
    expect(panel).to_be_visible()
    return panel


def type_and_enter(page: Page, text: str) -> None:
    page.get_by_test_id("message-input").fill(text)
    page.get_by_test_id("message-input").press("Enter")


def sink(service_db: Path, recipient: str, body: dict[str, Any], wamid: str) -> None:
    """Put a Graph API body into the sandbox sink, as if the bot had sent it."""
    engine = create_engine(f"sqlite:///{service_db}")
    try:
        sandbox_store.record(engine, recipient, body, wamid, datetime.now(UTC))
    finally:
        engine.dispose()


def graph_body(recipient: str, **content: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient,
        **content,
    }


def test_greeting_menu_client_area_and_back_to_menu(page: Page, service: str) -> None:
    open_simulator(page, service)

    # the user says "oi"
    type_and_enter(page, "oi")
    expect(user_messages(page).last.get_by_test_id("message-body")).to_have_text("oi")
    expect(page.get_by_test_id("message-input")).to_have_value("")

    # the bot greets (LGPD notice) and offers the four options as a list
    greeting = bot_messages(page).filter(has_text="LGPD")
    expect(greeting).to_have_count(1)
    expect(greeting).to_contain_text("Dresbach Assistente")
    expect(greeting).to_contain_text("privacidade")
    expect(menus(page)).to_have_count(1)
    expect(bot_messages(page).first).to_contain_text("LGPD")  # greeting comes before the menu

    # user bubbles sit on the right, bot bubbles on the left
    user_box = user_messages(page).first.bounding_box()
    bot_box = bot_messages(page).first.bounding_box()
    assert user_box is not None
    assert bot_box is not None
    assert user_box["x"] > bot_box["x"] + 100

    # the user opens the list and taps "Área do Cliente"
    panel = open_menu(page, menus(page).first)
    expect(panel.get_by_test_id("list-row-title")).to_have_text(MENU)
    before = bot_messages(page).count()
    panel.get_by_test_id("list-row").filter(has_text="Área do Cliente").click()
    expect(user_messages(page).last.get_by_test_id("message-body")).to_have_text("Área do Cliente")
    expect(user_messages(page).last.get_by_test_id("delivery")).to_have_text("✓")
    answer = bot_messages(page).nth(before)
    expect(answer.get_by_test_id("message-body")).to_contain_text("Área do Cliente")

    # the user types "menu" and the four options come back
    page.get_by_test_id("message-input").fill("menu")
    page.get_by_test_id("send-button").click()
    expect(user_messages(page).last.get_by_test_id("message-body")).to_have_text("menu")
    expect(menus(page)).to_have_count(2)
    panel = open_menu(page, menus(page).last)
    expect(panel.get_by_test_id("list-row-title")).to_have_text(MENU)
    page.get_by_test_id("list-close").click()
    expect(page.get_by_test_id("error")).to_be_hidden()

    page.screenshot(path=str(SCREENSHOT))


def test_html_in_messages_is_shown_as_literal_text(
    page: Page, service: str, service_db: Path
) -> None:
    open_simulator(page, service)

    typed = "<b>x</b><script>window.__pwned = 1</script>"
    type_and_enter(page, typed)
    mine = user_messages(page).last.get_by_test_id("message-body")
    expect(mine).to_have_text(typed)
    assert mine.locator("b, script").count() == 0
    expect(bot_messages(page).filter(has_text="LGPD")).to_have_count(1)

    hostile = '<img src=x onerror="window.__pwned = 1"><i>oi</i>\n*negrito* e _itálico_'
    sink(service_db, USER, graph_body(USER, type="text", text={"body": hostile}), "wamid.t.1")
    shown = bot_messages(page).filter(has_text="onerror").get_by_test_id("message-body")
    expect(shown).to_have_text(
        '<img src=x onerror="window.__pwned = 1"><i>oi</i>\nnegrito e itálico'
    )
    assert shown.locator("img, i, script").count() == 0
    expect(shown.locator("strong")).to_have_text("negrito")
    expect(shown.locator("em")).to_have_text("itálico")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script").count() == 1  # only the page's own


def test_list_opens_and_a_row_is_sent_as_a_list_reply(
    page: Page, service: str, service_db: Path
) -> None:
    open_simulator(page, service)
    type_and_enter(page, "oi")
    expect(menus(page)).to_have_count(1)

    sections = [
        {
            "title": "Hospedagem",
            "rows": [
                {"id": "plan:basic", "title": "Básico", "description": "Um site, e-mail incluso"},
                {"id": "plan:pro", "title": "Profissional"},
            ],
        },
        {"title": "Outros", "rows": [{"id": "go:human", "title": "Falar com atendente"}]},
    ]
    interactive = {
        "type": "list",
        "header": {"type": "text", "text": "Planos"},
        "body": {"text": "Escolha um plano:"},
        "footer": {"text": "Toque para ver"},
        "action": {"button": "Ver opções", "sections": sections},
    }
    sink(service_db, USER, graph_body(USER, type="interactive", interactive=interactive), "w.l")

    listed = bot_messages(page).filter(has_text="Escolha um plano:")
    expect(listed).to_have_count(1)
    expect(listed.get_by_test_id("message-header")).to_have_text("Planos")
    expect(listed.get_by_test_id("message-body")).to_have_text("Escolha um plano:")
    expect(listed.get_by_test_id("message-footer")).to_have_text("Toque para ver")
    panel = page.get_by_test_id("list-panel")
    expect(panel).to_be_hidden()

    listed.get_by_test_id("list-open").click()
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("list-title")).to_have_text("Ver opções")
    expect(panel.get_by_test_id("list-section")).to_have_count(2)
    expect(panel.get_by_test_id("list-row-title")).to_have_text(
        ["Básico", "Profissional", "Falar com atendente"]
    )
    expect(panel.get_by_test_id("list-row-description")).to_have_text(["Um site, e-mail incluso"])

    before = bot_messages(page).count()
    with page.expect_request(lambda r: r.url.endswith("/simulator/api/send")) as sent:
        panel.get_by_test_id("list-row").filter(has_text="Profissional").click()
    request = sent.value
    assert request.post_data_json == {
        "user": USER,
        "name": "Visitante",
        "choice_id": "plan:pro",
        "title": "Profissional",
        "kind": "list",
    }
    response = request.response()
    assert response is not None
    assert response.status == 200
    expect(panel).to_be_hidden()
    expect(user_messages(page).last.get_by_test_id("message-body")).to_have_text("Profissional")
    expect(bot_messages(page).nth(before)).to_be_visible()


def test_a_url_button_shows_its_text_and_holds_the_link(
    page: Page, service: str, service_db: Path
) -> None:
    open_simulator(page, service)
    type_and_enter(page, "oi")
    expect(bot_messages(page)).not_to_have_count(0)
    link = "https://srv1.dresbach.com.br:2083/cpsess4185/login/?session=site1"
    message = UrlButton(
        body="Aqui está o seu acesso ao cPanel.", display_text="Abrir o cPanel", url=link
    )
    sink(service_db, USER, render(USER, message), "wamid.cta.1")
    shown = bot_messages(page).filter(has_text="seu acesso ao cPanel")
    expect(shown).to_have_count(1)
    assert shown.get_attribute("data-kind") == "cta_url"
    button = shown.get_by_test_id("url-button")
    expect(button).to_have_text("Abrir o cPanel")
    expect(button).to_have_attribute("href", link)
    expect(button).to_have_attribute("target", "_blank")
    expect(shown.get_by_test_id("message-body")).not_to_contain_text(link)
    assert shown.get_by_test_id("reply-button").count() == 0  # a link, not a reply


def test_rejected_post_shows_the_api_error(page: Page, service: str) -> None:
    open_simulator(page, service)
    number = page.get_by_test_id("user-number")
    number.fill("12-3")
    expect(number).to_have_value("123")  # digits only

    page.get_by_test_id("message-input").fill("oi")
    page.get_by_test_id("send-button").click()
    error = page.get_by_test_id("error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        "Não foi possível enviar: Informe um número de WhatsApp com DDI e DDD, só dígitos."
    )
    expect(user_messages(page).last.get_by_test_id("delivery")).to_have_text("⚠")

    # a valid number clears the error on the next send
    number.fill(USER)
    page.get_by_test_id("message-input").fill("oi")
    page.get_by_test_id("send-button").click()
    expect(error).to_be_hidden()
    expect(bot_messages(page).filter(has_text="LGPD")).to_have_count(1)


def test_changing_the_number_starts_a_fresh_view(page: Page, service: str) -> None:
    open_simulator(page, service)
    type_and_enter(page, "oi")
    expect(menus(page)).to_have_count(1)

    other = "5511977776666"
    page.get_by_test_id("user-number").fill(other)
    page.get_by_test_id("user-name").fill("Maria")
    page.get_by_test_id("user-name").press("Tab")  # the number field has fired `change`
    expect(page.get_by_test_id("view-note")).to_contain_text(f"+{other}")
    expect(bot_messages(page)).to_have_count(0)
    expect(user_messages(page)).to_have_count(0)

    with page.expect_request(lambda r: r.url.endswith("/simulator/api/send")) as sent:
        type_and_enter(page, "oi")
    assert sent.value.post_data_json == {"user": other, "name": "Maria", "text": "oi"}
    expect(bot_messages(page).filter(has_text="LGPD")).to_contain_text(
        ", Maria! 👋"
    )  # "oi": the hour
    expect(menus(page)).to_have_count(1)

    # back to the first number: its conversation (the bot's side) is shown again
    page.get_by_test_id("user-number").fill(USER)
    page.get_by_test_id("user-number").press("Enter")
    expect(page.get_by_test_id("view-note")).to_contain_text(f"+{USER}")
    expect(bot_messages(page).filter(has_text="LGPD")).to_contain_text(", Visitante! 👋")
    expect(bot_messages(page).filter(has_text="Maria")).to_have_count(0)


def test_after_an_erasure_the_page_shows_what_comes_next(page: Page, service: str) -> None:
    open_simulator(page, service)
    type_and_enter(page, "oi")
    expect(menus(page)).to_have_count(1)

    # the user opens Privacidade and asks for the erasure
    panel = open_menu(page, menus(page).first)
    panel.get_by_test_id("list-row").filter(has_text="Privacidade e seus dados").click()
    options = bot_messages(page).filter(has_text=PRIVACY["start"].split("\n")[0])
    expect(options).to_have_count(1)
    options.get_by_test_id("list-open").click()
    page.get_by_test_id("list-row").filter(has_text="Excluir meus dados").click()
    confirm = bot_messages(page).filter(has_text="Confirma a exclusão?")
    expect(confirm).to_have_count(1)
    confirm.get_by_test_id("reply-button").filter(has_text="Sim, excluir").click()

    # the erasure emptied this number's sink; what the bot says next still shows
    expect(bot_messages(page).filter(has_text=PRIVACY["erased"])).to_have_count(1)
    type_and_enter(page, "oi")
    expect(bot_messages(page).filter(has_text="LGPD")).to_have_count(2)
    expect(menus(page)).to_have_count(2)
