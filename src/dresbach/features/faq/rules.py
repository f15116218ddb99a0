"""`dresbach faq lint`: the house rules, held over every answer file.

- the file reads (title, next step `login`, `ticket` or `person`, questions, answer);
- the answer fits one WhatsApp text, and asks nothing: "Isso resolveu?", sent after it, is the
  one question of the turn;
- no price: the FAQ never quotes a value (a project's price comes only after a diagnosis);
- the house's Portuguese (`kernel.machine.lint.wording`: e-mail, chamado, atendente…);
- at least `MIN_QUESTIONS` example questions, each with words the matcher can read, none
  repeated in another answer, and no answer named like an intent the FAQ does not answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dresbach.features.faq.model import Answer, AnswerFileError, parse_answer
from dresbach.kernel.limits import TEXT_BODY
from dresbach.kernel.machine.lint import count_questions, wording
from dresbach.kernel.understanding import normalize

MIN_QUESTIONS = 8
PRICE = re.compile(r"R\$|\breais\b|\bBRL\b|\b\d+,\d{2}\b", re.IGNORECASE)
"""A value in money: "R$ 150", "150 reais", "1.500,00"."""


def lint_answer(answer: Answer) -> list[str]:
    """What in one answer breaks the house rules, in words (pt-BR, for the operator)."""
    where = f"{answer.id}.md"
    problems = []
    if len(answer.text) > TEXT_BODY:
        problems.append(
            f"{where}: a resposta tem {len(answer.text)} caracteres; o WhatsApp aceita "
            f"até {TEXT_BODY}"
        )
    if count_questions(answer.text):
        problems.append(
            f"{where}: a resposta faz uma pergunta; a única pergunta é o 'Isso resolveu?' "
            "que vai depois dela"
        )
    problems += [f"{where}: sem preços ({m.group(0)!r})" for m in PRICE.finditer(answer.text)]
    problems += [f"{where}: {problem}" for problem in wording(answer.text)]
    if len(answer.questions) < MIN_QUESTIONS:
        problems.append(
            f"{where}: {len(answer.questions)} perguntas de exemplo; escreva pelo menos "
            f"{MIN_QUESTIONS}, de jeitos diferentes"
        )
    problems += [
        f"{where}: a pergunta {question!r} não tem palavras que o assistente leia"
        for question in answer.questions
        if not normalize(question)
    ]
    return problems


def lint_files(files: Mapping[str, str], reserved: frozenset[str] = frozenset()) -> list[str]:
    """Every problem of the answer files (`name -> text`); `reserved`: intent names an answer
    may not take. Empty when the FAQ obeys the house rules."""
    problems: list[str] = []
    answers: list[Answer] = []
    for name, text in files.items():
        try:
            answers.append(parse_answer(name, text))
        except AnswerFileError as error:
            problems.append(str(error))
    seen: dict[str, str] = {}
    for answer in answers:
        problems += lint_answer(answer)
        if answer.id in reserved:
            problems.append(f"{answer.id}.md: esse nome é de outro assunto; escolha outro")
        for question in answer.questions:
            key = normalize(question)
            first = seen.setdefault(key, answer.id)
            if first != answer.id:
                problems.append(
                    f"{answer.id}.md: a pergunta {question!r} também está em {first}.md"
                )
    return problems
