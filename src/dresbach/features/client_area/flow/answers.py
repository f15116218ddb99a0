"""Reading what the customer sends in the Área do Cliente: taps, codes, requests to pay, menu
words. Accents, case and small typos are tolerated (never in a password or a code)."""

from __future__ import annotations

from typing import Any

from dresbach.features.client_area.flow.texts import SITE, TEXTS
from dresbach.features.client_area.login.guard import payment_content
from dresbach.kernel.events import ButtonChosen, ListRowChosen, TextReceived
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Text
from dresbach.kernel.text import matches_any_phrase, normalize

CODE_LENGTH = 6
_CODE_SEPARATORS = " -.\u00a0"

PAY_PHRASES = (
    "pagar",
    "paga",
    "pagamento",
    "pagamentos",
    "boleto",
    "boletos",
    "boleta",
    "bolet",
    "boletto",
    "pix",
    "codigo de barras",
    "codigo de barra",
    "cod barras",
    "linha digitavel",
    "copia e cola",
    "qr code",
    "qrcode",
    "quitar",
    "link de pagamento",
    "link pra pagar",
    "link para pagar",
)


def tapped(turn: Turn) -> str | None:
    """The id of the option tapped, when this event is a tap."""
    event = turn.event
    return event.choice_id if isinstance(event, ButtonChosen | ListRowChosen) else None


def typed(turn: Turn) -> str | None:
    """What the customer typed, when this event is a text."""
    event = turn.event
    return event.body if isinstance(event, TextReceived) else None


def says(text: str, *phrases: str) -> bool:
    """Whether the text contains one of the phrases, word by word, typos tolerated."""
    words = normalize(text)
    return matches_any_phrase(words, phrases)


def asks_to_pay(text: str) -> bool:
    """A request to pay here ("quero pagar", "segunda via do boleto", "manda o pix"), or a
    payment pasted into the chat (a boleto line, a Pix code, a payment link)."""
    return says(text, *PAY_PHRASES) or payment_content(text) is not None


def pay_elsewhere(*, again: bool = False) -> Outcome:
    """Payments are not made here: say where they are (and the question `again`, where an
    answer is still needed to go on)."""
    return Outcome(say=(Text(body=TEXTS["pay_elsewhere"].format(site=SITE)),), prompt=again)


def code_of(text: str) -> str | None:
    """A 6-digit code (ASCII digits; the spaces an app shows, as in ``123 456``, are fine)."""
    code = "".join(ch for ch in text.strip() if ch not in _CODE_SEPARATORS)
    if len(code) == CODE_LENGTH and all(ch in "0123456789" for ch in code):
        return code
    return None


def wants_more(text: str) -> bool:
    return normalize(text) in {"mais", "ver mais", "proxima", "proxima pagina", "mostrar mais"}


def reask(text: str, **slots: Any) -> Outcome:
    """Stay, say what was wrong; the question follows in the same message (a miss)."""
    return Outcome(say=(Text(body=text),), slots=slots, missed="invalid")


def unclear(text: str) -> Outcome:
    """Stay: not understood (the router says so), then what to do, then the question."""
    return Outcome(say=(Text(body=text),), missed="unclear")


MISSED = unclear(TEXTS["options_reask"])
"""A screen's "I did not understand that". Every screen after the login is wrapped by
`navigation.understood`, which answers it: a section named from anywhere, or the screen's options
in brief. Unwrapped, it re-asks with the whole screen."""


def note(text: str, **slots: Any) -> Outcome:
    """Stay and say something, without repeating the question."""
    return Outcome(say=(Text(body=text),), slots=slots, prompt=False)
