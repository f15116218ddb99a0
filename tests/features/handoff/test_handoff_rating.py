"""After a person closes the hand-off, the customer is asked once how it went (a list of the
scores 1 to 5, then a comment they may skip), only inside the 24 h window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dresbach.features.handoff.model import RateHandOff
from dresbach.kernel.messages import ListMenu
from tests.features.handoff.test_handoff_flow import HandOff

OPEN = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def closed_by_ana() -> HandOff:
    chat = HandOff(now=OPEN)
    chat.says("oi")
    chat.says("atendente")
    chat.joined()
    chat.says("meu site caiu")
    chat.operator_says("Já voltou, pode conferir?")
    chat.waits(5)
    chat.operator_leaves(closed=True)
    return chat


def test_the_customer_rates_with_a_list_then_comments() -> None:
    chat = closed_by_ana()
    assert chat.place == "handoff.rating"
    [_goodbye, question] = chat.last.replies  # type: ignore[union-attr]
    assert isinstance(question, ListMenu)
    assert question.body == "Como foi o seu atendimento? Escolha uma nota de 1 a 5."
    assert chat.options() == ["5 - Excelente", "4 - Bom", "3 - Regular", "2 - Ruim", "1 - Péssimo"]

    chat.taps("4 - Bom")
    [rating] = chat.last_of(RateHandOff)
    assert (rating.handoff_id, rating.score, rating.comment) == ("7", 4, None)
    assert chat.place == "handoff.rating_comment"
    assert "escreva em uma mensagem um comentário" in chat.bot_said()

    chat.says("A Ana foi muito atenciosa")
    [comment] = chat.last_of(RateHandOff)
    assert (comment.handoff_id, comment.score) == ("7", None)
    assert comment.comment == "A Ana foi muito atenciosa"
    assert chat.place == "menu.main"
    assert chat.bot_said() == "Agradecemos! O seu comentário foi registrado e ajuda a nossa equipe."


def test_a_typed_digit_counts_and_the_comment_can_be_skipped() -> None:
    chat = closed_by_ana()
    chat.says("5")
    [rating] = chat.last_of(RateHandOff)
    assert rating.score == 5
    chat.taps("Sem comentário")
    assert chat.last_of(RateHandOff) == []
    assert chat.place == "menu.main"
    assert chat.bot_said() == "Tudo bem, agradecemos a avaliação!"


def test_anything_else_than_a_score_leaves_the_survey_for_the_menu() -> None:
    chat = closed_by_ana()
    chat.says("quero ver minhas faturas")
    assert chat.last_of(RateHandOff) == []
    assert not chat.place.startswith("handoff.rating")


def test_no_survey_outside_the_24_hour_window() -> None:
    chat = HandOff(now=OPEN)
    chat.says("oi")
    chat.says("atendente")
    chat.joined()
    chat.now += timedelta(hours=25)
    chat.operator_leaves(closed=True)
    assert chat.place == "menu.main"
    assert chat.bot_said() == "Ana encerrou o atendimento. Agradecemos o contato!"


def test_a_hand_back_asks_for_no_rating() -> None:
    chat = HandOff(now=OPEN)
    chat.says("oi")
    chat.says("atendente")
    chat.joined()
    chat.operator_leaves(closed=False)
    assert chat.place == "menu.main"
    assert "Como foi o seu atendimento" not in chat.bot_said()
