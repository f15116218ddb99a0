"""What a screen offers, read from its own prompt, for any flow that wants typed words to work
like taps: the options (reply buttons and list rows), a typed title taken as the tap it names,
and a brief re-ask that carries the same options again without the rest of the screen.

The options are read from the messages the prompt renders, so a screen gets this by
construction: no list of words to keep beside each table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dresbach.kernel.events import ButtonChosen, ListRowChosen, TextReceived
from dresbach.kernel.messages import Buttons, ListMenu, Message
from dresbach.kernel.text import matches_word, normalize

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One thing a screen offers to tap."""

    id: str
    title: str
    row: bool
    """A list row (else a reply button)."""


def options(messages: Iterable[Message]) -> tuple[Option, ...]:
    """The buttons and list rows the messages offer, in order."""
    found: list[Option] = []
    for message in messages:
        if isinstance(message, Buttons):
            found += [Option(id=b.id, title=b.title, row=False) for b in message.buttons]
        elif isinstance(message, ListMenu):
            found += [Option(id=r.id, title=r.title, row=True) for r in message.rows]
    return tuple(found)


def _same(typed: str, title: str) -> bool:
    """The typed words are the title's, word for word (small typos in long words forgiven)."""
    words, target = typed.split(), title.split()
    return len(words) == len(target) and all(
        matches_word(w, t) for w, t in zip(words, target, strict=True)
    )


def named(text: str, messages: Iterable[Message]) -> Option | None:
    """The option whose whole title the text is (accents, case and punctuation aside), when
    exactly one is; a title cut with an ellipsis is named by its visible words."""
    typed = normalize(text)
    if not typed:
        return None
    offered = options(messages)
    titles = [normalize(o.title.removesuffix(ELLIPSIS)) for o in offered]
    exact = [o for o, title in zip(offered, titles, strict=True) if typed == title]
    if len(exact) == 1:
        return exact[0]
    close = [o for o, title in zip(offered, titles, strict=True) if _same(typed, title)]
    return close[0] if len(close) == 1 else None


def tap(event: TextReceived, option: Option) -> ButtonChosen | ListRowChosen:
    """The tap a typed title stands for: the same message, as the option chosen."""
    common = {
        "message_id": event.message_id,
        "sender": event.sender,
        "timestamp": event.timestamp,
        "context_id": event.context_id,
        "choice_id": option.id,
        "title": option.title,
    }
    return ListRowChosen(**common) if option.row else ButtonChosen(**common)  # type: ignore[arg-type]


def brief(messages: Iterable[Message], *, buttons: str, rows: str) -> tuple[Message, ...]:
    """The screen's options again under a short text, and nothing else of the screen: `buttons`
    for reply buttons, `rows` (with `{button}`, the list's label) for a list. Empty when the
    screen offers nothing to tap."""
    shown = [m for m in messages if isinstance(m, Buttons | ListMenu)]
    if not shown:
        return ()
    last = shown[-1]
    if isinstance(last, Buttons):
        return (Buttons(body=buttons, buttons=last.buttons),)
    return (
        ListMenu(body=rows.format(button=last.button), button=last.button, sections=last.sections),
    )
