"""Commands that work from any state: menu, voltar, atendente/humano, sair, cancelar,
privacidade."""

from __future__ import annotations

from typing import Literal

from dresbach.kernel.events import ButtonChosen, Event, ListRowChosen, TextReceived
from dresbach.kernel.text import matches_word, normalize

GlobalCommand = Literal["menu", "back", "human", "quit", "cancel", "privacy"]

_PHRASES: dict[GlobalCommand, tuple[str, ...]] = {
    "menu": ("menu", "menu principal", "inicio", "voltar ao menu", "voltar ao inicio"),
    "back": ("voltar", "anterior", "volta"),
    "human": (
        "atendente",
        "humano",
        "falar com atendente",
        "falar com humano",
        "falar com um atendente",
    ),
    "quit": ("sair", "encerrar"),
    "cancel": ("cancelar", "cancela"),
    "privacy": ("privacidade", "meus dados", "privacidade e seus dados"),
}

_BUTTON_IDS: dict[str, GlobalCommand] = {
    "go:menu": "menu",
    "go:back": "back",
    "go:human": "human",
    "go:quit": "quit",
    "go:cancel": "cancel",
}


def _whole(typed: str, phrase: str) -> bool:
    words, target = typed.split(), phrase.split()
    return len(words) == len(target) and all(
        matches_word(w, t) for w, t in zip(words, target, strict=True)
    )


def global_command(event: Event) -> GlobalCommand | None:
    """The global command a message is, when the whole message is one (typos tolerated)."""
    if isinstance(event, ButtonChosen | ListRowChosen):
        return _BUTTON_IDS.get(event.choice_id)
    if not isinstance(event, TextReceived):
        return None
    typed = normalize(event.body)
    if not typed or len(typed) > 40:
        return None
    for command, phrases in _PHRASES.items():
        if typed in phrases:
            return command
    for command, phrases in _PHRASES.items():
        if any(_whole(typed, phrase) for phrase in phrases):
            return command
    return None
