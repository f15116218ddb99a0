"""The answer files: how they read, and the house rules `dresbach faq lint` holds over them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dresbach.cli.main import main
from dresbach.features.faq import knowledge, matcher
from dresbach.features.faq.model import AnswerFileError, NextStep, parse_answer
from dresbach.features.faq.rules import lint_files

GOOD = """# Um exemplo
Próximo passo: ticket

## Perguntas
- pergunta um
- pergunta dois
- pergunta tres
- pergunta quatro
- pergunta cinco
- pergunta seis
- pergunta sete
- pergunta oito

## Resposta
Uma resposta clara.

Em dois parágrafos.
"""


def test_a_file_reads_into_an_answer() -> None:
    answer = parse_answer("um_exemplo", GOOD)
    assert answer.title == "Um exemplo"
    assert answer.next_step is NextStep.TICKET
    assert answer.questions[0] == "pergunta um"
    assert len(answer.questions) == 8
    assert answer.text == "Uma resposta clara.\n\nEm dois parágrafos."


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("Com Espaço", GOOD, "minúsculas"),
        ("x", GOOD.replace("ticket", "telefone"), "use login, ticket, person"),
        ("x", GOOD.replace("Próximo passo: ticket\n", ""), "o próximo passo"),
        ("x", GOOD.split("## Resposta")[0], "a resposta"),
        ("x", GOOD.replace("- pergunta um", "pergunta um"), "linha 5"),
        ("x", GOOD.replace("## Perguntas", "## Dúvidas"), "seção desconhecida"),
    ],
)
def test_a_file_that_does_not_read_says_where_and_what_to_fix(
    name: str, content: str, said: str
) -> None:
    with pytest.raises(AnswerFileError, match=said):
        parse_answer(name, content)


def test_the_shipped_answers_keep_the_house_rules() -> None:
    files = knowledge.answer_files()
    assert 15 <= len(files) <= 25
    assert lint_files(files, frozenset(matcher.NOT_ANSWERED)) == []
    assert {answer.next_step for answer in knowledge.answers()} == set(NextStep)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda t: t.replace("Uma resposta clara.", "Uma resposta clara, certo?"), "pergunta"),
        (lambda t: t.replace("Uma resposta clara.", "Custa R$ 150."), "sem preços"),
        (lambda t: t.replace("Uma resposta clara.", "São 1.500,00 por mês."), "sem preços"),
        (lambda t: t.replace("Uma resposta clara.", "x" * 4097), "4096"),
        (lambda t: t.replace("- pergunta oito\n", ""), "pelo menos 8"),
        (lambda t: t.replace("pergunta oito", "???"), "não tem palavras"),
        (lambda t: t.replace("Uma resposta clara.", "Veja o seu email."), "e-mail"),
        (lambda t: t.replace("Uma resposta clara.", "Abra um ticket."), "chamado"),
        (lambda t: t.replace("ticket", "nenhum"), "não existe"),
    ],
)
def test_lint_finds_what_breaks_a_rule(change: Callable[[str], str], said: str) -> None:
    problems = lint_files({"um_exemplo": change(GOOD)})
    assert any(said in problem for problem in problems), problems


def test_lint_finds_a_question_in_two_answers_and_a_reserved_name() -> None:
    problems = lint_files({"um": GOOD, "greeting": GOOD}, frozenset({"greeting"}))
    assert "greeting.md: esse nome é de outro assunto; escolha outro" in problems
    assert "greeting.md: a pergunta 'pergunta um' também está em um.md" in problems


def test_faq_lint_passes_on_the_shipped_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "lint"]) == 0
    assert "Respostas ok (21)" in capsys.readouterr().out


def test_faq_match_shows_the_answer_and_its_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "match", "qual o link do webmail"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Resposta: webmail (Como entrar no Webmail), confiança ")
    assert "Se não resolver: login" in out


def test_faq_match_says_when_there_is_no_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "match", "oi"]) == 0
    assert capsys.readouterr().out == "Nenhuma resposta: é outro assunto (greeting).\n"
    assert main(["faq", "match", "xyzzy qwerty"]) == 0
    assert capsys.readouterr().out.startswith("Nenhuma resposta: não entendi")
