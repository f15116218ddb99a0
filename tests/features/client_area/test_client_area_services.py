"""Área do Cliente: Serviços ativos (paged at WhatsApp's 10 rows) and Acessos (cPanel, Webmail,
WHM one-time links). Transcripts with fabricated ClientDataFetched rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dresbach.features.client_area.model import FetchClientData, RequestAccessLink
from dresbach.kernel.messages import ListMenu, Text, UrlButton
from tests.support.client_area_transcript import (
    CLIENT,
    ClientAreaTranscript,
    rows,
    service,
    services,
)

PANEL = "https://srv1.dresbach.com.br:2083/cpsess4185/login/?session=site1%3aPaYk2x9"


def home() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    return chat


def the_list(chat: ClientAreaTranscript) -> ListMenu:
    assert chat.last is not None
    [menu] = [m for m in chat.last.replies if isinstance(m, ListMenu)]
    return menu


def test_the_area_menu_lists_what_the_customer_can_see() -> None:
    chat = home()
    assert chat.options() == [
        "Serviços ativos",
        "Acessos",
        "Domínios e DNS",
        "Chamados",
        "Faturas",
        "Site fora do ar",
        "Falar com atendente",
        "Sair da área",
    ]
    assert "O que você quer consultar?" in chat.bot_said()


def test_23_services_are_paged_within_ten_rows() -> None:
    chat = home()
    chat.taps("Serviços ativos")
    [fetch] = chat.last_of(FetchClientData)
    assert (fetch.client_id, fetch.what, fetch.key) == (CLIENT, "services", None)
    assert chat.state == "services"
    assert "buscando os seus serviços" in chat.bot_said()

    chat.answer(*services(23))
    first = the_list(chat)
    assert len(first.rows) == 10
    assert [r.title for r in first.rows[:8]] == [f"site{n}.com.br" for n in range(1, 9)]
    assert [r.title for r in first.rows[8:]] == ["Ver mais", "Voltar"]
    assert first.rows[0].description == "Hospedagem Plus · Ativo · vence 10/12/2026"
    assert "Estes são os seus serviços (23)." in first.body
    assert "Página 1 de 3." in first.body

    chat.taps("Ver mais")
    second = the_list(chat)
    assert [r.title for r in second.rows[:8]] == [f"site{n}.com.br" for n in range(9, 17)]
    assert second.rows[-1].description == "Página anterior"
    assert "Página 2 de 3." in second.body

    chat.says("mais")
    third = the_list(chat)
    assert [r.title for r in third.rows] == [f"site{n}.com.br" for n in range(17, 24)] + ["Voltar"]

    chat.taps("Voltar")
    assert "Página 2 de 3." in the_list(chat).body
    chat.taps("Voltar")
    chat.taps("Voltar")
    assert chat.state == "home"


@pytest.mark.parametrize(("count", "rows_shown"), [(1, 2), (9, 10), (10, 10)])
def test_short_lists_show_everything_and_a_way_back(count: int, rows_shown: int) -> None:
    chat = home()
    chat.taps("Serviços ativos")
    chat.answer(*services(count))
    menu = the_list(chat)
    assert len(menu.rows) == rows_shown
    assert menu.rows[-1].title == "Voltar"
    assert ("Ver mais" in [r.title for r in menu.rows]) is (count > 9)


def test_one_service_in_detail() -> None:
    chat = home()
    chat.taps("Serviços ativos")
    chat.answer(*services(3))
    chat.says("site2.com.br")
    said = chat.bot_said()
    assert chat.state == "service"
    for line in (
        "*Hospedagem Plus*",
        "Domínio: site2.com.br",
        "Situação: Ativo",
        "Próximo vencimento: 10/12/2026",
        "Usuário: site2",
    ):
        assert line in said
    assert chat.options() == ["Acessar o painel", "Voltar à lista", "Menu da área"]
    chat.taps("Voltar à lista")
    assert chat.state == "services"


def test_no_services_goes_back_to_the_menu() -> None:
    chat = home()
    chat.taps("Serviços ativos")
    chat.answer()
    assert chat.bot_said().startswith("Não encontrei serviços ativos no seu cadastro.")
    assert chat.state == "home"


def test_unavailable_data_asks_to_try_again_shortly() -> None:
    chat = home()
    chat.taps("Serviços ativos")
    chat.says("e aí?")
    assert "Ainda estou buscando" in chat.bot_said()
    chat.data_unavailable("services")
    assert chat.bot_said().startswith("Não consegui buscar essas informações agora.")
    assert chat.state == "home"


def test_data_for_another_request_is_ignored() -> None:
    chat = home()
    chat.taps("Serviços ativos")
    assert chat.client_data("invoices", rows({"id": "1", "number": "1"})) == []
    assert chat.data_unavailable("domains") == []
    assert chat.state == "services"


def test_cpanel_link_with_its_expiry_in_brasilia_time() -> None:
    chat = home()
    chat.taps("Serviços ativos")
    chat.answer(*services(2))
    chat.taps("site1.com.br")
    chat.taps("Acessar o painel")
    assert chat.options() == ["cPanel", "Webmail"]
    chat.taps("cPanel")
    [request] = chat.last_of(RequestAccessLink)
    assert (request.client_id, request.service_id, request.kind, request.mailbox) == (
        CLIENT,
        "s1",
        "cpanel",
        None,
    )
    assert chat.state == "opening_access"
    chat.access_link(PANEL, at=datetime(2026, 11, 25, 16, 45, tzinfo=UTC))
    said = chat.bot_said()
    assert chat.last is not None
    [link] = chat.last.replies[:1]
    assert isinstance(link, UrlButton)  # WhatsApp's cta_url: the URL behind the button
    assert (link.url, link.display_text) == (PANEL, "Abrir o cPanel")
    assert PANEL not in link.body
    assert "cPanel de site1.com.br:" in said
    assert "até às 13h45 (horário de Brasília)" in said
    assert "pessoal" in said
    assert "único acesso" in said
    assert "demonstração" not in said
    assert chat.state == "home"
    assert chat.conversation is not None
    assert PANEL not in repr(dict(chat.conversation.slots))


def test_a_link_no_button_can_hold_stays_a_text() -> None:
    chat = home()
    chat.taps("Acessos")
    chat.answer(service(1))
    chat.taps("cPanel")
    odd = "srv1.dresbach.com.br:2083/cpsess4185/login/?session=site1"  # no scheme: no button
    chat.access_link(odd)
    assert chat.last is not None
    first = chat.last.replies[0]
    assert isinstance(first, Text)
    assert odd in first.body
    assert "cPanel de site1.com.br:" in first.body


def test_a_demo_link_says_so() -> None:
    chat = home()
    chat.taps("Acessos")
    chat.answer(service(1))  # one service: no need to choose it
    assert chat.state == "access_kind"
    chat.taps("cPanel")
    chat.access_link("https://painel.dresbach.com.br/demo/cpanel/site1", demo=True)
    assert "(demonstração)" in chat.bot_said()


def test_webmail_asks_which_mailbox() -> None:
    chat = home()
    chat.taps("Acessos")
    boxes = "contato@site1.com.br, financeiro@site1.com.br,diretoria.comercial@site1.com.br"
    chat.answer(service(1, mailboxes=boxes), service(2))
    assert chat.state == "access_service"
    chat.taps("site1.com.br")
    chat.taps("Webmail")
    assert chat.state == "mailbox"
    assert chat.options()[:3] == [
        "contato@site1.com.br",
        "financeiro@site1.com.br",
        "diretoria.comercial@sit…",
    ]
    chat.taps("financeiro@site1.com.br")
    [request] = chat.last_of(RequestAccessLink)
    assert (request.kind, request.mailbox) == ("webmail", "financeiro@site1.com.br")
    chat.access_link("https://webmail.site1.com.br/cpsess1/?login=1", kind="webmail")
    assert "Webmail de financeiro@site1.com.br" in chat.bot_said()


def test_webmail_with_one_mailbox_opens_it_and_without_any_says_so() -> None:
    chat = home()
    chat.taps("Acessos")
    chat.answer(service(1, mailboxes="contato@site1.com.br"), service(2))
    chat.taps("site1.com.br")
    chat.taps("Webmail")
    assert chat.last_of(RequestAccessLink)[0].mailbox == "contato@site1.com.br"
    chat.data_unavailable("access")
    assert chat.bot_said().startswith("Não consegui gerar o link de acesso agora.")
    chat.taps("Acessos")
    chat.answer(service(1, mailboxes="contato@site1.com.br"), service(2))
    chat.taps("site2.com.br")
    chat.taps("Webmail")
    assert chat.bot_said().startswith("Esse serviço não tem contas de e-mail cadastradas")
    assert chat.state == "access_kind"


def test_whm_only_for_a_reseller() -> None:
    chat = home()
    chat.taps("Acessos")
    chat.answer(service(1), service(2, reseller=True))
    chat.taps("site1.com.br")
    chat.says("whm")
    assert chat.bot_said().startswith("O WHM existe só nos planos de revenda.")
    assert not chat.of(RequestAccessLink)
    chat.says("voltar")
    chat.taps("site2.com.br")
    assert chat.options() == ["cPanel", "Webmail", "WHM"]
    chat.taps("WHM")
    assert chat.last_of(RequestAccessLink)[0].kind == "whm"


def test_an_access_link_arriving_after_the_customer_left_is_not_shown() -> None:
    chat = home()
    chat.taps("Acessos")
    chat.answer(service(1))
    chat.taps("cPanel")
    chat.says("menu")
    assert chat.access_link(PANEL) == []
