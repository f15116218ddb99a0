"""Commands are intents in the imperative, produced by the core and carried out by workers.
Each carries an id that is also its idempotency key outside."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    command_id: str = ""

    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestHandOff(Command):
    """Ask for a human operator to take the conversation."""

    reason: str
    flow: str
