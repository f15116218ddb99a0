"""Conversation tests that read like transcripts: the user says, the bot says.

`Transcript` drives the pure core (`step`) with a fake clock; every reply of every step is
kept, and the house rules (one question per message, WhatsApp's limits, the house's Portuguese:
days and times written out, the glossary's words) are checked on each.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from dresbach.features.registry import MACHINE
from dresbach.kernel.conversation import Conversation, Decision
from dresbach.kernel.events import (
    ButtonChosen,
    InboundEvent,
    ListRowChosen,
    MediaReceived,
    Sender,
    TextReceived,
)
from dresbach.kernel.limits import violations
from dresbach.kernel.machine.lint import wording
from dresbach.kernel.messages import Buttons, ListMenu, Message, visible_texts
from dresbach.kernel.policy import Policy

START = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def words(message: Message) -> str:
    return "\n".join(visible_texts(message))


@dataclass
class Transcript:
    wa_id: str = "5511987654321"
    user_id: str | None = "BR.1502576394655843"
    name: str = "Maria Souza"
    policy: Policy = field(default_factory=Policy)
    now: datetime = START
    conversation: Conversation | None = None
    said: list[tuple[str, str]] = field(default_factory=list)
    last: Decision | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.sender = Sender(user_id=self.user_id, wa_id=self.wa_id, profile_name=self.name)
        if self.conversation is None:
            self.conversation = Conversation(key=self.sender.key, address=self.sender.address)

    # ---- the user ---------------------------------------------------------------------------
    def _send(self, event: InboundEvent) -> list[Message]:
        assert self.conversation is not None
        decision = MACHINE.step(self.conversation, event, self.now, self.policy)
        assert not decision.defects, decision.defects
        for message in decision.replies:
            assert not violations(message), violations(message)
            questions = sum(t.count("?") for t in visible_texts(message))
            assert questions <= 1, f"more than one question: {words(message)!r}"
            for text in visible_texts(message):
                assert not wording(text), f"{wording(text)}: {text!r}"
            self.said.append(("bot", words(message)))
        self.conversation = decision.conversation
        self.last = decision
        return list(decision.replies)

    def _base(self) -> dict[str, object]:
        return {
            "message_id": f"wamid.test.{next(self._ids)}",
            "sender": self.sender,
            "timestamp": self.now,
        }

    def says(self, body: str) -> list[Message]:
        self.said.append(("user", body))
        return self._send(TextReceived(**self._base(), body=body))  # type: ignore[arg-type]

    def taps(self, title: str) -> list[Message]:
        """Tap the button or list row with this title in the bot's last interactive message."""
        for message in reversed(self.last.replies if self.last else ()):
            if isinstance(message, Buttons):
                for b in message.buttons:
                    if b.title == title:
                        self.said.append(("user", f"[{title}]"))
                        return self._send(
                            ButtonChosen(**self._base(), choice_id=b.id, title=title)  # type: ignore[arg-type]
                        )
            if isinstance(message, ListMenu):
                for r in message.rows:
                    if r.title == title:
                        self.said.append(("user", f"[{title}]"))
                        return self._send(
                            ListRowChosen(**self._base(), choice_id=r.id, title=title)  # type: ignore[arg-type]
                        )
        raise AssertionError(f"no option {title!r} in the bot's last messages")

    def sends_media(self, kind: str = "audio") -> list[Message]:
        self.said.append(("user", f"[{kind}]"))
        return self._send(
            MediaReceived(
                **self._base(),  # type: ignore[arg-type]
                media_kind=kind,
                media_id="123",
                mime_type="audio/ogg; codecs=opus",
            )
        )

    def waits(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)

    # ---- what the bot said -------------------------------------------------------------------
    @property
    def place(self) -> str:
        assert self.conversation is not None
        return str(self.conversation.place)

    def bot_said(self) -> str:
        """Everything the bot said in its last turn, as one string."""
        assert self.last is not None
        return "\n".join(words(m) for m in self.last.replies)

    def options(self) -> list[str]:
        """The titles of the buttons or rows the bot offered last."""
        assert self.last is not None
        found: list[str] = []
        for message in self.last.replies:
            if isinstance(message, Buttons):
                found += [b.title for b in message.buttons]
            elif isinstance(message, ListMenu):
                found += [r.title for r in message.rows]
        return found
