"""The example files: what customers type, grouped by intent, in a format anyone can edit.

    # a comment
    [billing]
    quero a segunda via do boleto
    2a via pfv

A line `[name]` opens an intent; every other non-blank line that does not start with `#` is
one utterance of the intent opened last. The parser takes the file's text (whoever reads the
file passes it in) and says on which line something is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"\[\s*([a-z][a-z0-9_]*)\s*\]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    """One utterance and the intent it means; `line` is where it stands in its file."""

    intent: str
    text: str
    line: int


class ExampleFileError(ValueError):
    """An example file that cannot be read: the message names the line and what to fix."""


def parse_examples(text: str) -> tuple[Example, ...]:
    """Every utterance of an example file, in file order."""
    examples: list[Example] = []
    intent: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            header = _HEADER.fullmatch(line)
            if header is None:
                raise ExampleFileError(
                    f"linha {number}: o nome do assunto vai entre colchetes, em minúsculas, "
                    f"sem espaços nem acentos (por exemplo [billing]): {line!r}"
                )
            intent = header.group(1)
            continue
        if intent is None:
            raise ExampleFileError(
                f"linha {number}: a frase vem antes de qualquer assunto; "
                f"escreva o assunto entre colchetes antes dela: {line!r}"
            )
        examples.append(Example(intent=intent, text=line, line=number))
    return tuple(examples)


def intents_of(examples: tuple[Example, ...]) -> tuple[str, ...]:
    """The intents named in `examples`, sorted."""
    return tuple(sorted({example.intent for example in examples}))
