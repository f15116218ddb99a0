"""The hand-off to a person, as transcripts: asked for from every top-level flow, once; the
queue; a person joins, talks, hands back; the bot says nothing on its own meanwhile; business
hours; nobody answering in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dresbach.features.handoff.model import (
    EndHandOff,
    ForwardToHuman,
    HandOffQueued,
    HandOffUnanswered,
    HumanJoined,
    HumanLeft,
    OperatorSaid,
    RequestCallback,
)
from dresbach.features.scheduling.model import MeetingReminder
from dresbach.kernel.commands import RequestHandOff
from dresbach.kernel.events import PaymentConfirmed
from dresbach.kernel.messages import Template, Text
from tests.support.techops_transcript import TechOpsTranscript

# Wednesday 25/11/2026 13:00 UTC = 10:00 in São Paulo: within support hours (seg-sex 08-20)
OPEN = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
# Saturday 28/11/2026 15:00 UTC = 12:00 in São Paulo: closed
CLOSED = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


class HandOff(TechOpsTranscript):
    def queued(self, position: int, *, open_now: bool = True) -> list:  # type: ignore[type-arg]
        return self.receives(
            HandOffQueued(**self._internal(), handoff_id="7", position=position, open_now=open_now)
        )

    def joined(self, operator: str = "Ana") -> list:  # type: ignore[type-arg]
        return self.receives(HumanJoined(**self._internal(), handoff_id="7", operator=operator))

    def operator_says(self, body: str, operator: str = "Ana") -> list:  # type: ignore[type-arg]
        return self.receives(
            OperatorSaid(**self._internal(), handoff_id="7", operator=operator, body=body)
        )

    def operator_leaves(self, *, closed: bool = False) -> list:  # type: ignore[type-arg]
        return self.receives(
            HumanLeft(**self._internal(), handoff_id="7", operator="Ana", closed=closed)
        )


def waiting(now: datetime = OPEN) -> HandOff:
    chat = HandOff(now=now)
    chat.says("oi")
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    return chat


@pytest.mark.parametrize(
    ("where", "flow"),
    [
        ((), "menu"),
        (("Consultoria Tech Ops",), "techops"),
        (("Área do Cliente",), "client_area"),
    ],
)
def test_atendente_from_every_top_level_flow_asks_for_one_person(
    where: tuple[str, ...], flow: str
) -> None:
    chat = HandOff(now=OPEN)
    chat.says("oi")
    for title in where:
        chat.taps(title)
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    assert "Chamei uma pessoa da nossa equipe" in chat.bot_said()
    [request] = chat.last_of(RequestHandOff)
    assert request.reason == "customer"
    assert request.flow == flow


def test_asking_again_while_waiting_opens_nothing_more() -> None:
    chat = waiting()
    chat.says("atendente")
    assert "Você já está na fila" in chat.bot_said()
    chat.says("quero falar com um humano")
    assert chat.last_of(RequestHandOff) == []
    assert len(chat.of(RequestHandOff)) == 1


def test_the_queue_position_and_what_the_customer_writes_while_waiting() -> None:
    chat = waiting()
    chat.queued(3)
    assert chat.bot_said() == "Você é a 3ª pessoa na fila."
    chat.says("meu site está fora do ar desde ontem")
    assert chat.bot_said() == "Anotado! A sua mensagem já está com a nossa equipe."
    [forward] = chat.last_of(ForwardToHuman)
    assert forward.text == "meu site está fora do ar desde ontem"
    chat.says("o domínio é padaria.com.br")
    assert chat.last is not None
    assert chat.last.replies == ()  # acknowledged once, then quiet
    assert len(chat.last_of(ForwardToHuman)) == 1


def test_a_person_joins_talks_and_hands_back_to_the_bot() -> None:
    chat = waiting()
    chat.joined("Ana")
    assert chat.place == "handoff.with_human"
    assert "Ana, da equipe Dresbach, entrou na conversa" in chat.bot_said()

    [reply] = chat.operator_says("Oi! Vou verificar o seu servidor agora.")
    assert isinstance(reply, Text)
    assert reply.body == "*Ana:* Oi! Vou verificar o seu servidor agora."
    assert isinstance(reply.fallback, Template)

    chat.says("obrigado, fico aguardando")
    assert chat.last is not None
    assert chat.last.replies == ()  # the bot says nothing: the person answers
    assert len(chat.last_of(ForwardToHuman)) == 1

    chat.operator_leaves()
    assert chat.place == "menu.main"
    assert (
        "Ana concluiu o atendimento. Se precisar de mais alguma coisa, continuo por aqui."
        in chat.bot_said()
    )
    chat.says("2")
    assert chat.place == "client_area.start"  # the bot answers again


def test_while_a_person_has_the_chat_the_bot_holds_back_its_own_news() -> None:
    chat = waiting()
    chat.joined()
    for event in (
        PaymentConfirmed(
            **chat._internal(),
            txid="DRB1",
            amount="1800.00",
            paid_at=chat.now,
            confirmed_by="bcb",
        ),
        MeetingReminder(
            **chat._internal(), booking_id="b", slot_id="20261126T1315Z", hours_before=1
        ),
    ):
        assert chat.receives(event) == []
        assert chat.place == "handoff.with_human"


def test_global_commands_are_words_for_the_person_but_menu_asks_before_leaving() -> None:
    chat = waiting()
    chat.joined()
    for word in ("voltar", "cancelar", "sair", "atendente"):
        chat.says(word)
        assert chat.place == "handoff.with_human"
        [forward] = chat.last_of(ForwardToHuman)
        assert forward.text == word
    chat.says("menu")
    assert chat.place == "handoff.confirm_leave"
    assert "Quer encerrar o atendimento e voltar ao menu?" in chat.bot_said()
    chat.operator_says("Ainda está aí?")
    assert "*Ana:* Ainda está aí?" in chat.bot_said()  # the person is still heard
    chat.says("não")
    assert chat.place == "handoff.with_human"
    assert "a conversa com a equipe continua" in chat.bot_said()
    chat.says("menu")
    chat.taps("Sim, sair")
    assert chat.place == "menu.main"
    [end] = chat.last_of(EndHandOff)
    assert end.reason == "customer_left"


def test_outside_business_hours_the_customer_is_told_when_someone_answers() -> None:
    chat = waiting(now=CLOSED)
    said = chat.bot_said()
    assert said == (  # Policy()'s support hours; the Monday after the closed Saturday
        "A nossa equipe atende de segunda a sexta, das 9h às 18h. Agora estamos fora desse "
        "horário, mas a sua mensagem fica registrada e respondemos a partir de segunda, 30/11, "
        "às 9h. Pode deixar aqui o que você precisa."
    )
    chat.says("preciso do backup do site")
    [forward] = chat.last_of(ForwardToHuman)
    assert forward.text == "preciso do backup do site"


def test_nobody_answering_in_time_offers_a_callback() -> None:
    chat = waiting()
    chat.waits(minutes=20)
    chat.receives(HandOffUnanswered(**chat._internal(), handoff_id="7"))
    assert chat.place == "handoff.unanswered"
    assert chat.options() == ["Quero retorno", "Continuar esperando", "Menu principal"]
    chat.taps("Quero retorno")
    assert chat.place == "handoff.waiting"
    assert "Registrei o seu pedido" in chat.bot_said()
    assert len(chat.last_of(RequestCallback)) == 1


def test_nobody_answering_the_customer_may_keep_waiting_or_leave() -> None:
    chat = waiting()
    chat.receives(HandOffUnanswered(**chat._internal(), handoff_id="7"))
    chat.taps("Continuar esperando")
    assert chat.place == "handoff.waiting"
    chat.receives(HandOffUnanswered(**chat._internal(), handoff_id="7"))
    chat.taps("Menu principal")
    assert chat.place == "menu.main"
    assert len(chat.last_of(EndHandOff)) == 1


def test_a_reply_after_the_24h_window_goes_as_the_approved_template() -> None:
    chat = waiting()
    chat.joined()
    chat.now += timedelta(hours=25)
    [reply] = chat.operator_says("Seu servidor foi restaurado.")
    assert reply == Template(
        name="atendimento_resposta", body_params=("Ana", "Seu servidor foi restaurado.")
    )


def test_a_consultant_taking_a_booked_customer_brings_them_to_the_person() -> None:
    chat = HandOff(now=OPEN)
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    chat.joined("Carlos")
    assert chat.place == "handoff.with_human"
    chat.operator_says("Olá, sou o consultor do seu diagnóstico.")
    assert "*Carlos:*" not in chat.bot_said()
    assert "*Ana:* Olá, sou o consultor do seu diagnóstico." in chat.bot_said()


def test_closing_says_goodbye_and_asks_for_a_rating() -> None:
    chat = waiting()
    chat.joined()
    chat.operator_leaves(closed=True)
    assert chat.place == "handoff.rating"
    assert chat.bot_said().startswith("Ana encerrou o atendimento. Agradecemos o contato!")


def test_a_multi_line_reply_after_the_window_is_flattened_for_the_template() -> None:
    chat = waiting()
    chat.joined()
    chat.now += timedelta(hours=25)
    [reply] = chat.operator_says("Bom dia!\n\nSeu servidor\tfoi restaurado.   Abraços")
    assert isinstance(reply, Template)
    assert reply.body_params == ("Ana", "Bom dia! Seu servidor foi restaurado. Abraços")
