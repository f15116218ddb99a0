"""Commands that work from any state, as data: each feature registers the words that reach it
(the menu's `menu`, `voltar`, `sair`, `cancelar`; the hand-off's `atendente`; Privacidade's
`privacidade`). Here only the type and the matching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dresbach.kernel.events import ButtonChosen, Event, ListRowChosen, TextReceived
from dresbach.kernel.text import matches_word, normalize

Action = Literal["menu", "back", "quit", "cancel", "enter"]
"""What the router does: go to the main menu, go back one step, rest, cancel what is under
way, or enter the command's flow at its entry."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GlobalCommand:
    name: str
    words: tuple[str, ...]
    """The whole messages that are this command (normalized; typos tolerated)."""
    button_ids: tuple[str, ...] = ()
    """The ids of the buttons and list rows that are this command."""
    action: Action = "enter"
    flow: str | None = None
    """For `enter`: the flow whose entry the command reaches."""
    fresh: bool = False
    """For `enter`: leaves what was under way (slots and way back), as `menu` does."""
    slash: str | None = None
    """The WhatsApp command that is this command (`fatura` for `/fatura`): offered in the
    chat's command list (`dresbach whatsapp setup`), it arrives as a text starting `/fatura`."""
    hint: str = ""
    """The command's description in WhatsApp's list (pt-BR, at most 256 characters)."""


def _whole(typed: str, phrase: str) -> bool:
    words, target = typed.split(), phrase.split()
    return len(words) == len(target) and all(
        matches_word(w, t) for w, t in zip(words, target, strict=True)
    )


def global_command(event: Event, commands: Sequence[GlobalCommand]) -> GlobalCommand | None:
    """The global command a message is, when the whole message is one (typos tolerated)."""
    if isinstance(event, ButtonChosen | ListRowChosen):
        return next((c for c in commands if event.choice_id in c.button_ids), None)
    if not isinstance(event, TextReceived):
        return None
    slashed = slash_of(event.body)
    if slashed is not None:
        found = next((c for c in commands if c.slash == slashed), None)
        if found is not None:
            return found
    typed = normalize(event.body)
    if not typed or len(typed) > 40:
        return None
    for command in commands:
        if typed in command.words:
            return command
    for command in commands:
        if any(_whole(typed, phrase) for phrase in command.words):
            return command
    return None


def slash_of(body: str) -> str | None:
    """`fatura` for a message that starts with the WhatsApp command `/fatura`, else None."""
    words = body.strip().split(maxsplit=1)
    if not words or not words[0].startswith("/") or len(words[0]) < 2:
        return None
    return words[0][1:].lower()
