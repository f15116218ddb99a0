"""Showing what the billing and hosting systems sent: cleaned of any payment (`guard.scrub`), of
question marks (a message asks one question only: ours), and cut to WhatsApp's limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dresbach.features.client_area.flow.labels import FIELDS
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.login.guard import scrub
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.machine.machine import Prompt
from dresbach.kernel.messages import Message, Text
from dresbach.kernel.policy import Policy

_QUESTION_MARKS = re.compile(r"\s*[?¿？]+")
_SPACES = re.compile(r"\s+")


def shown(text: str) -> str:
    """Words from outside as we repeat them: no payment, question marks turned into stops."""
    return _QUESTION_MARKS.sub(".", scrub(text)).strip()


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut with an ellipsis to at most `limit` characters."""
    line = _SPACES.sub(" ", shown(text)).strip()
    if len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"


def cut(text: str, limit: int) -> str:
    """`text` (line breaks kept) cut with an ellipsis to at most `limit` characters."""
    body = shown(text)
    if len(body) <= limit:
        return body
    return body[: limit - 1].rstrip() + "…"


def lines(item: dict[str, str], names: tuple[str, ...]) -> list[str]:
    """``Label: value`` for each named field the item has."""
    return [
        f"{FIELDS.get(name, name)}: {clip(item[name], 200)}"
        for name in names
        if item.get(name, "").strip()
    ]


def joined(*parts: str, sep: str = " · ") -> str:
    return sep.join(part for part in parts if part)


def first_name(name: str) -> str:
    words = shown(name).split()
    return words[0] if words else ""


def local_time(moment: datetime) -> str:
    """``às 14h30`` (``à 1h``) in Brasília (a naive time is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return at_clock(aware.astimezone(SAO_PAULO))


def text_prompt(key: str) -> Prompt:
    """A prompt that is one text of the catalog."""

    def prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        return (Text(body=TEXTS[key]),)

    return prompt
