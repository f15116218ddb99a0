"""The conversation as the core sees it, and the decision the core returns for one event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol

from dresbach.kernel.commands import Command
from dresbach.kernel.messages import Message

Slots = Mapping[str, Any]

EMPTY: Slots = MappingProxyType({})

SECRET_SLOT_PREFIX = "secret."  # noqa: S105 - a slot name, not a secret
"""Slots whose name starts with this are sealed (encrypted) at rest by the unit of work."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """Where a conversation stands: a flow and one of its states."""

    flow: str
    state: str

    def __str__(self) -> str:
        return f"{self.flow}.{self.state}"


START = Place(flow="menu", state="new")


class Holding(Protocol):
    """Something the records say a customer owns (a paid diagnosis still to be held): the
    feature that owns it defines its type and loads it; the kernel knows only this much."""

    @property
    def lead_id(self) -> str:
        """The lead it came from, for an operator's context."""
        ...

    @property
    def booked(self) -> bool:
        """Whether a meeting is booked for it and still to come."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversation:
    """One WhatsApp user's conversation with the bot. `slots` hold answers (JSON-able values);
    `trail` holds the places visited in the current flow, for `voltar`."""

    key: str
    address: str
    profile_name: str | None = None
    place: Place = START
    slots: Slots = field(default_factory=lambda: EMPTY)
    trail: tuple[Place, ...] = ()
    last_activity_at: datetime | None = None
    version: int = 0
    owned: tuple[Holding, ...] = ()
    """What the customer owns according to the records (paid diagnoses still to be held),
    loaded by the unit of work at every step and never saved with the conversation: slots hold
    where the conversation is, the records hold what was paid and booked."""
    notices: Slots = field(default_factory=lambda: EMPTY)
    """What the records announce to whoever writes at this step (an outage under way), keyed
    by the feature that loads it (`StepHooks.enrich`) and reads it (its `Ahead`); never saved."""

    def with_slots(self, **changes: Any) -> Conversation:
        merged = dict(self.slots)
        merged.update(changes)
        return replace(self, slots=MappingProxyType(merged))

    def without_slots(self, prefix: str) -> Conversation:
        kept = {k: v for k, v in self.slots.items() if not k.startswith(prefix)}
        return replace(self, slots=MappingProxyType(kept))


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """What the core decided: the new conversation, what to say (in order) and what to do."""

    conversation: Conversation
    replies: tuple[Message, ...] = ()
    commands: tuple[Command, ...] = ()
    defects: tuple[str, ...] = field(default=())
    not_understood: bool = False
    """The customer typed a text the bot answered with "não entendi": the inbox row is marked,
    so that `dresbach understanding misses` can list it and the example file grow from it."""
