"""`/console/incidents` in Chromium at a phone's width: an operator logs in, opens an incident,
updates it and closes it, and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page

from dresbach.features.operators import service as operators
from tests.support.stack_fixtures import Stack

PASSWORD = "cafe-com-leite-42"
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="pt-BR", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def test_an_operator_runs_an_incident_from_a_phone(
    stack_factory,
    sqlite_url: str,
    phone: Page,  # type: ignore[no-untyped-def]
) -> None:
    stack: Stack = stack_factory(sqlite_url)
    operators.add_operator(
        stack.container.db.engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="test"
    )
    phone.goto(f"{stack.origin}/console/login")
    phone.get_by_label("Usuário").fill("ana")
    phone.get_by_label("Senha").fill(PASSWORD)
    phone.get_by_role("button", name="Entrar").click()
    phone.get_by_role("link", name="Incidentes").click()
    phone.wait_for_url("**/console/incidents")
    assert phone.get_by_test_id("no-open-incidents").is_visible()
    assert phone.evaluate(SIDEWAYS) <= 0

    phone.get_by_label("Título").fill("Instabilidade no servidor br1")
    phone.get_by_label("Servidores ou serviços afetados").fill("br1.dresbach.com.br")
    phone.get_by_label("Mensagem para os clientes").fill("O servidor br1 está sem rede.")
    phone.get_by_test_id("open").click()
    phone.wait_for_url("**/console/incidents?feito=aberto")
    card = phone.get_by_test_id("incident")
    assert "Instabilidade no servidor br1" in card.inner_text()
    assert "br1.dresbach.com.br" in card.inner_text()
    assert phone.evaluate(SIDEWAYS) <= 0, "the page scrolls sideways at 360 px"

    card.get_by_label("Nova mensagem para os clientes").fill("A rede voltou; validando.")
    card.get_by_test_id("update").click()
    phone.wait_for_url("**/console/incidents?feito=atualizado")
    assert "A rede voltou; validando." in phone.get_by_test_id("incident").inner_text()

    phone.get_by_test_id("close").click()
    phone.wait_for_url("**/console/incidents?feito=encerrado")
    assert phone.get_by_test_id("no-open-incidents").is_visible()
    assert "Instabilidade no servidor br1" in phone.get_by_test_id("closed-incident").inner_text()
    assert phone.evaluate(SIDEWAYS) <= 0
