"""What the features tell the unit of work, given to it by the bootstrap: the platform names no
feature, and a feature that needs a word in every step says it here.

Each hook is plain data or a plain function; every tuple may be empty (a step with no feature
around it, as in the platform's own tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from dresbach.kernel.conversation import Conversation, Decision
from dresbach.kernel.events import Event

Enrich = Callable[[Connection, Conversation, datetime], Conversation]
"""Adds to a conversation, before its step, what the records hold (what the customer owns)."""

OpensWindow = Callable[[Event, Conversation, Conversation], bool]
"""(event, before, after): True when what the customer types next may be a secret again (a
login refused, a session ended): what is typed is then not kept for a few minutes."""

ClosesWindow = Callable[[Conversation, Conversation], bool]
"""(before, after): True when the window ends at once (the customer logged in)."""

AfterStep = Callable[[Connection, str, Conversation, Decision, datetime], None]
"""(connection, key, before, decision, now): written in the step's transaction, after it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StepHooks:
    enrich: tuple[Enrich, ...] = ()
    opens_window: tuple[OpensWindow, ...] = ()
    closes_window: tuple[ClosesWindow, ...] = ()
    read_by_a_person: frozenset[str] = frozenset()
    """Flows in which a person reads what the customer writes: kept even in the window."""
    after_step: tuple[AfterStep, ...] = ()


NO_HOOKS = StepHooks()
"""No feature around the step."""
