"""The answers shipped inside the package (`answers/*.md`), read with importlib.resources.

The only module of the FAQ that reads anything; the rest takes the text from its caller.
"""

from __future__ import annotations

from importlib.resources import files

from dresbach.features.faq.model import Answer, parse_answer

FOLDER = "answers"
SUFFIX = ".md"


def answer_files() -> dict[str, str]:
    """Every answer file's text by its name (without `.md`), sorted by name."""
    folder = files(__package__).joinpath(FOLDER)
    found = {
        entry.name.removesuffix(SUFFIX): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(SUFFIX)
    }
    return dict(sorted(found.items()))


def answers() -> tuple[Answer, ...]:
    """The shipped answers, sorted by id; an unreadable file raises `AnswerFileError`."""
    return tuple(parse_answer(name, text) for name, text in answer_files().items())
