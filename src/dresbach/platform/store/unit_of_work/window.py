"""The sensitive window: in the minutes after a login failure, a lockout or a logout, what the
customer types may be the password again, so it is not kept. The features say what opens and
closes it (`StepHooks`); leaving a sensitive question for another flow opens it too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dresbach.kernel.conversation import Conversation, Place
from dresbach.kernel.events import Event
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import installed
from dresbach.platform.store.database import utc
from dresbach.platform.store.hooks import StepHooks


def is_sensitive(place: Place) -> bool:
    flow = installed().machine.flows.get(place.flow)
    return bool(flow and place.state in flow.states and flow.states[place.state].sensitive)


def in_sensitive_window(row: Any, now: datetime, hooks: StepHooks) -> bool:
    """Within the window (`_opens`). Not while a person has the chat (or is about to): the
    person must read what the customer writes."""
    until = utc(row["sensitive_until"])
    return until is not None and until > now and row["flow"] not in hooks.read_by_a_person


def _opens(event: Event, before: Conversation, after: Conversation, hooks: StepHooks) -> bool:
    """What a feature says opens it (a login refused or locked, a second factor refused, a
    session ended), or a sensitive question left for another flow (the customer may type the
    secret again where it is not expected)."""
    if any(opens(event, before, after) for opens in hooks.opens_window):
        return True
    return (
        is_sensitive(before.place)
        and not is_sensitive(after.place)
        and before.place.flow != after.place.flow
    )


def sensitive_until(
    row: Any,
    event: Event,
    before: Conversation,
    after: Conversation,
    now: datetime,
    policy: Policy,
    hooks: StepHooks,
) -> datetime | None:
    if _opens(event, before, after, hooks):
        return now + policy.sensitive_window
    if any(closes(before, after) for closes in hooks.closes_window):
        return None  # logged in: what follows is the client's requests
    return utc(row["sensitive_until"])
