"""The FAQ's registration: its flow and texts, and its answers tried by the router before an
intent that would ask for a login (a question answered here needs no login)."""

from __future__ import annotations

from dresbach.features.faq import matcher
from dresbach.features.faq.flow import ENTRY, FLOW, opening
from dresbach.features.faq.flow.texts import CATALOG
from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.routes import Answers
from dresbach.kernel.text import normalize
from dresbach.platform.feature import Feature

QUESTION_WORDS = frozenset(
    [
        "como",
        "onde",
        "qual",
        "quais",
        "quanto",
        "quantos",
        "quando",
        "porque",
        "pq",
        "oq",
        "qto",
        "cade",
        "posso",
        "consigo",
        "da",
        "tem",
        "existe",
        "pode",
        "devo",
    ]
)
"""Words that open a question ("como configuro…", "onde pago…"): a request ("preciso da
segunda via") is not asked of the FAQ, it goes where it asks to go."""


def is_question(text: str) -> bool:
    words = normalize(text).split()
    return "?" in text or (bool(words) and words[0] in QUESTION_WORDS)


def answer(turn: Turn) -> Outcome | None:
    """The FAQ's answer to a question, when the matcher is sure of one."""
    event = turn.event
    if not isinstance(event, TextReceived) or not is_question(event.body):
        return None
    found = matcher.match(event.body)
    return opening(found) if found is not None else None


FEATURE = Feature(
    name="faq",
    flows=(FLOW,),
    catalogs={"faq": CATALOG},
    answers=Answers(find=answer, goes_to=(ENTRY,)),
)
