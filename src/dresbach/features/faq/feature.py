"""The FAQ's registration: its flow and texts, and its answers tried by the router before an
intent that would ask for a login (a question answered here needs no login)."""

from __future__ import annotations

from dresbach.features.faq import matcher
from dresbach.features.faq.flow import ENTRY, FLOW, opening
from dresbach.features.faq.flow.texts import CATALOG
from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.global_commands import slash_of
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.routes import Answers
from dresbach.kernel.text import normalize
from dresbach.platform.feature import Feature

REQUESTS = frozenset(("preciso", "quero", "qro", "gostaria", "queria", "manda", "envia", "me"))
"""Words that open a request ("preciso da segunda via", "quero abrir um chamado"): it goes where
it asks to go; a question or a complaint ("como configuro…", "esqueci a senha…") is answered."""


def is_request(text: str) -> bool:
    """A request, or a WhatsApp command (`/fatura`): it goes where it asks to go."""
    if slash_of(text) is not None:
        return True
    words = normalize(text).split()
    return bool(words) and words[0] in REQUESTS and "?" not in text


def answer(turn: Turn) -> Outcome | None:
    """The FAQ's answer to what is not a request, when the matcher is sure of one."""
    event = turn.event
    if not isinstance(event, TextReceived) or is_request(event.body):
        return None
    found = matcher.match(event.body)
    return opening(found) if found is not None else None


FEATURE = Feature(
    name="faq",
    flows=(FLOW,),
    catalogs={"faq": CATALOG},
    answers=Answers(find=answer, goes_to=(ENTRY,)),
)
