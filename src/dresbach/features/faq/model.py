"""An answer of the FAQ and the file it is written in, read without I/O.

An answer file (`answers/<id>.md`, the id in lower case with underscores) reads:

    # E-mail no celular
    Próximo passo: ticket

    ## Perguntas
    - como configuro meu email no celular
    - email nao aparece no iphone

    ## Resposta
    Para configurar o e-mail no celular…

The title names the answer for our staff; the questions are how customers ask (the matcher
learns from them); the answer is sent as written; the next step is where a "Não" to "Isso
resolveu?" leads: `login` (the Área do Cliente), `ticket` (a new chamado, after the login) or
`person` (someone of our team).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ID = re.compile(r"[a-z][a-z0-9_]*")
NEXT_STEP = re.compile(r"próximo passo\s*:\s*(\S+)", re.IGNORECASE)
QUESTIONS, ANSWER = "perguntas", "resposta"


class NextStep(StrEnum):
    """Where a "Não" to "Isso resolveu?" leads."""

    LOGIN = "login"
    TICKET = "ticket"
    PERSON = "person"


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """One answer of the FAQ; `id` is its file's name without `.md`."""

    id: str
    title: str
    questions: tuple[str, ...]
    text: str
    next_step: NextStep


class AnswerFileError(ValueError):
    """An answer file that cannot be read: the message names the file, the line and the fix."""


@dataclass(slots=True)
class _Reading:
    name: str
    title: str = ""
    next_step: NextStep | None = None
    section: str = ""
    questions: list[str] | None = None
    text: list[str] | None = None

    def fail(self, number: int, what: str) -> AnswerFileError:
        return AnswerFileError(f"{self.name}.md, linha {number}: {what}")


def parse_answer(name: str, content: str) -> Answer:
    """The answer written in `content`, the text of the file `<name>.md`."""
    if not ID.fullmatch(name):
        raise AnswerFileError(
            f"{name}.md: o nome do arquivo vai em minúsculas, sem espaços nem acentos "
            "(use _ entre as palavras), por exemplo email_no_celular.md"
        )
    reading = _Reading(name=name)
    for number, raw in enumerate(content.splitlines(), start=1):
        _read_line(reading, number, raw)
    return _finished(reading)


def _read_line(reading: _Reading, number: int, raw: str) -> None:
    line = raw.strip()
    if reading.section == ANSWER:
        assert reading.text is not None
        reading.text.append(raw.rstrip())
        return
    if not line:
        return
    if line.startswith("## "):
        _open_section(reading, number, line[3:].strip().casefold())
    elif line.startswith("# "):
        if reading.title:
            raise reading.fail(number, "o arquivo tem mais de um título (# …)")
        reading.title = line[2:].strip()
    elif (step := NEXT_STEP.fullmatch(line)) is not None:
        reading.next_step = _next_step(reading, number, step.group(1))
    elif reading.section == QUESTIONS and line.startswith("- "):
        assert reading.questions is not None
        reading.questions.append(line[2:].strip())
    else:
        raise reading.fail(
            number,
            f"não sei ler esta linha: {line!r} (as perguntas vão em ## Perguntas, "
            "uma por linha começando com '- ')",
        )


def _open_section(reading: _Reading, number: int, section: str) -> None:
    if section == QUESTIONS and reading.questions is None:
        reading.questions = []
    elif section == ANSWER and reading.text is None:
        reading.text = []
    else:
        raise reading.fail(
            number, f"seção desconhecida ou repetida: {section!r} (use ## Perguntas e ## Resposta)"
        )
    reading.section = section


def _next_step(reading: _Reading, number: int, value: str) -> NextStep:
    try:
        return NextStep(value.casefold())
    except ValueError:
        valid = ", ".join(step.value for step in NextStep)
        raise reading.fail(number, f"próximo passo {value!r} não existe: use {valid}") from None


def _finished(reading: _Reading) -> Answer:
    missing = [
        what
        for what, absent in (
            ("o título (# …)", not reading.title),
            ("o próximo passo (Próximo passo: …)", reading.next_step is None),
            ("as perguntas (## Perguntas)", not reading.questions),
            ("a resposta (## Resposta)", not "".join(reading.text or ()).strip()),
        )
        if absent
    ]
    if missing or reading.next_step is None:
        raise AnswerFileError(f"{reading.name}.md: falta {', '.join(missing)}")
    return Answer(
        id=reading.name,
        title=reading.title,
        questions=tuple(reading.questions or ()),
        text="\n".join(reading.text or ()).strip(),
        next_step=reading.next_step,
    )
