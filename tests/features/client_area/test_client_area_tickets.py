"""Área do Cliente: tickets (the list, the last replies, a reply, a new ticket). Transcripts."""

from __future__ import annotations

from dresbach.features.client_area.model import FetchClientData, OpenTicket, ReplyTicket
from dresbach.kernel.messages import Text
from tests.support.client_area_transcript import (
    CLIENT,
    DEPARTMENTS,
    TICKETS,
    ClientAreaTranscript,
)

BOLETO = "23793.38128 60000.000003 00000.000400 1 84340000010000"


def at_tickets(*tickets: dict[str, str]) -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Chamados")
    assert chat.last_of(FetchClientData)[0].what == "tickets"
    chat.answer(*tickets)
    return chat


def reply(n: int, message: str, author: str = "Equipe Dresbach") -> dict[str, str]:
    return {"kind": "reply", "author": author, "when": f"2{n}/11/2026, às 10h", "message": message}


def details(chat: ClientAreaTranscript) -> str:
    assert chat.last is not None
    return next(m.body for m in chat.last.replies if isinstance(m, Text))


def test_the_tickets_with_their_status_and_a_way_to_open_one() -> None:
    chat = at_tickets(*TICKETS)
    said = chat.bot_said()
    assert "Estes são os seus chamados (2)." in said
    assert chat.options() == [
        "#482913 Site fora do ar",
        "#482977 Dúvida sobre e-…",
        "Abrir novo chamado",
        "Voltar",
    ]
    assert "Respondido · Suporte técnico · atualizado em 24/11/2026, às 18h02" in said


def test_a_ticket_shows_its_last_three_replies_cut_and_cleaned() -> None:
    chat = at_tickets(*TICKETS)
    chat.taps("#482913 Site fora do ar")
    [fetch] = chat.last_of(FetchClientData)
    assert (fetch.what, fetch.key) == ("ticket", "t1")
    chat.answer(
        TICKETS[0],
        reply(0, "Primeira resposta, antiga.", "Maria Souza"),
        reply(1, "Segunda resposta, antiga."),
        reply(2, "O site voltou? Pode testar?", "Maria Souza"),
        reply(3, f"Segue o boleto: {BOLETO} e o link https://pay.exemplo.com/x"),
        reply(4, "Reiniciamos o servidor. " * 40),
    )
    text = details(chat)
    assert text.startswith("*Chamado #482913* · Site fora do ar\nSituação: Respondido")
    assert "Primeira resposta" not in text
    assert "Segunda resposta" not in text
    assert "O site voltou. Pode testar." in text  # one question per message: ours
    assert BOLETO not in text
    assert "pay.exemplo.com" not in text
    assert text.count("[removido]") == 2
    assert "Reiniciamos o servidor. " in text
    assert text.endswith("…")
    assert chat.options() == ["Responder", "Voltar aos chamados", "Menu da área"]


def test_replying_to_a_ticket() -> None:
    chat = at_tickets(*TICKETS)
    chat.taps("#482913 Site fora do ar")
    chat.answer(TICKETS[0], reply(1, "Pode testar agora."))
    chat.taps("Responder")
    assert chat.bot_said().startswith("Qual é a sua resposta para o chamado #482913?")
    chat.says("x")
    assert chat.bot_said().startswith("Ficou muito curto.")
    chat.says("Voltou, obrigada! Está tudo certo por aqui.")
    [sent] = chat.last_of(ReplyTicket)
    assert (sent.client_id, sent.ticket_id) == (CLIENT, "t1")
    assert sent.message == "Voltou, obrigada! Está tudo certo por aqui."
    assert chat.state == "sending_reply"
    chat.says("e aí?")
    assert "Ainda estou enviando" in chat.bot_said()
    chat.ticket_replied("t1")
    assert chat.bot_said().startswith("Pronto! A sua resposta foi registrada no chamado #482913.")
    assert chat.state == "home"


def test_a_reply_that_could_not_be_sent_goes_back_to_the_ticket() -> None:
    chat = at_tickets(*TICKETS)
    chat.taps("#482977 Dúvida sobre e-…")
    chat.answer(TICKETS[1])
    assert "Ainda não há respostas neste chamado." in details(chat)
    chat.taps("Responder")
    chat.says("Consegui configurar, obrigado.")
    chat.data_unavailable("reply")
    assert chat.bot_said().startswith("Não consegui enviar a sua resposta agora.")
    assert chat.state == "ticket"


def test_opening_a_ticket_one_question_at_a_time() -> None:
    chat = at_tickets(*TICKETS)
    chat.taps("Abrir novo chamado")
    assert chat.last_of(FetchClientData)[0].what == "departments"
    chat.answer(*DEPARTMENTS)
    assert chat.bot_said().startswith("Para qual departamento é o novo chamado?")
    chat.taps("Financeiro")
    assert chat.bot_said().startswith("Qual é o assunto do chamado?")
    chat.says("Nota fiscal de novembro")
    assert chat.bot_said().startswith("Agora descreva o problema em uma única mensagem")
    chat.says("curto")
    assert chat.bot_said().startswith("Ficou muito curto.")
    chat.says("Preciso da nota fiscal da fatura de novembro com o CNPJ da empresa, por favor.")
    [opened] = chat.last_of(OpenTicket)
    assert (opened.client_id, opened.department_id) == (CLIENT, "2")
    assert opened.subject == "Nota fiscal de novembro"
    assert opened.message.startswith("Preciso da nota fiscal")
    assert chat.state == "opening_ticket"
    chat.ticket_opened("482990")
    said = chat.bot_said()
    assert said.startswith("Pronto! O seu chamado #482990 foi aberto no departamento Financeiro.")
    assert chat.state == "home"


def test_with_one_department_the_subject_comes_straight_away() -> None:
    chat = at_tickets()
    assert "Você não tem chamados no momento." in chat.bot_said()
    assert chat.options() == ["Abrir novo chamado", "Voltar"]
    chat.says("abrir ticket")
    chat.answer(DEPARTMENTS[0])
    assert chat.state == "ticket_subject"
    chat.says("Site lento")
    chat.says("O site está muito lento desde ontem à noite, principalmente no checkout.")
    assert chat.last_of(OpenTicket)[0].department_id == "1"
    chat.data_unavailable("ticket")
    assert chat.bot_said().startswith("Não consegui abrir o seu chamado agora.")
    assert chat.state == "home"


def test_a_long_subject_is_asked_again() -> None:
    chat = at_tickets(*TICKETS)
    chat.taps("Abrir novo chamado")
    chat.answer(*DEPARTMENTS)
    chat.taps("Suporte técnico")
    chat.says("Assunto " * 30)
    assert chat.bot_said().startswith("Ficou longo demais: o limite é de 120 caracteres")
    assert chat.state == "ticket_subject"
