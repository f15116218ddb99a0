"""The hand-off to a human: commands the core gives, and the news that comes back.

A conversation is with the bot, waiting for a human, with a human, and then back with the bot.
At most one hand-off is open per conversation (a database constraint), so a request repeated
or delivered twice opens exactly one. `RequestHandOff` lives in `domain.commands`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dresbach.kernel.commands import Command
from dresbach.kernel.events import InternalEvent

HANDOFF_SLOT = "handoff.id"
"""The open hand-off's id, kept in the conversation while it is waiting or with a human."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ForwardToHuman(Command):
    """What the customer wrote while waiting or with a human: mirrored to the operators'
    tool (Chatwoot) and marked on the hand-off; the console reads it from the history. With
    `media_id`, the customer sent a file (its caption in `text`): it goes to the desk as an
    attachment once `platform/inbound/media.py` has fetched it."""

    text: str
    media_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EndHandOff(Command):
    """The customer left the human (menu → yes) or stopped waiting."""

    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestCallback(Command):
    """Nobody took the hand-off in time: the customer asks to be contacted later."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RateHandOff(Command):
    """The customer rated the closed hand-off (1–5), or added a comment to that rating. Only
    the first score counts; a comment is kept only after a score."""

    handoff_id: str
    score: int | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HandOffQueued(InternalEvent):
    """The hand-off is waiting: its place in the queue and when someone answers."""

    handoff_id: str
    position: int
    open_now: bool
    opens_at: datetime | None = None

    @property
    def kind(self) -> str:
        return "handoff_queued"


@dataclass(frozen=True, slots=True, kw_only=True)
class HumanJoined(InternalEvent):
    handoff_id: str
    operator: str
    """The operator's display name, shown to the customer."""

    @property
    def kind(self) -> str:
        return "human_joined"


@dataclass(frozen=True, slots=True, kw_only=True)
class OperatorSaid(InternalEvent):
    """An operator's reply (console or Chatwoot), to go to the customer in order."""

    handoff_id: str
    operator: str
    body: str
    file_ref: str | None = None
    """A file the operator sends (kept in `media_blobs`, uploaded to Meta when it goes), with
    `body` as its caption."""
    file_kind: str | None = None
    """`image` or `document`."""
    file_name: str | None = None

    @property
    def kind(self) -> str:
        return "operator_said"


@dataclass(frozen=True, slots=True, kw_only=True)
class HumanLeft(InternalEvent):
    """The operator handed the conversation back to the bot (`closed` False) or closed it."""

    handoff_id: str
    operator: str
    closed: bool

    @property
    def kind(self) -> str:
        return "human_left"


@dataclass(frozen=True, slots=True, kw_only=True)
class HandOffUnanswered(InternalEvent):
    """Nobody took the waiting hand-off within the configured time."""

    handoff_id: str

    @property
    def kind(self) -> str:
        return "handoff_unanswered"


@dataclass(frozen=True, slots=True, kw_only=True)
class SentFile:
    """A file an operator sends from the console: kept under `ref` until it is uploaded."""

    ref: str
    kind: str
    """`image` or `document`."""
    filename: str
    mime_type: str
    data: bytes = field(repr=False)
