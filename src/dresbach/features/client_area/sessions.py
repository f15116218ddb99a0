"""What every step is told about the Área do Cliente's sessions (`StepHooks`, given to the unit
of work by the bootstrap): a login refused or a session ended opens the sensitive window, a
login closes it, and a session that ends without the flow saying so is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from dresbach.features.client_area.model import (
    SESSION_SLOT,
    EndSession,
    LoginChecked,
    SecondFactorChecked,
)
from dresbach.kernel.conversation import Conversation, Decision
from dresbach.kernel.events import Event
from dresbach.platform.observe import audit


def opens_window(event: Event, before: Conversation, after: Conversation) -> bool:
    """A login refused or locked, a second factor refused, or a session ended."""
    if isinstance(event, LoginChecked):
        return event.result in ("failed", "locked")
    if isinstance(event, SecondFactorChecked):
        return event.result in ("failed", "locked", "expired")
    return bool(before.slots.get(SESSION_SLOT) and not after.slots.get(SESSION_SLOT))


def closes_window(before: Conversation, after: Conversation) -> bool:
    """Logged in: what follows is the client's requests."""
    return bool(after.slots.get(SESSION_SLOT) and not before.slots.get(SESSION_SLOT))


def audit_session_end(
    connection: Connection,
    key: str,
    before: Conversation,
    decision: Decision,
    now: datetime,
) -> None:
    """A client-area session that ends without the flow saying so (sair, menu, the router's own
    timeout) is still recorded in the audit log."""
    client = before.slots.get(SESSION_SLOT)
    if not client or decision.conversation.slots.get(SESSION_SLOT):
        return
    if any(isinstance(c, EndSession) for c in decision.commands):
        return
    audit.record(
        connection,
        who=key,
        action="session_ended",
        now=now,
        detail=f"client {client}: left ({decision.conversation.place})",
    )
