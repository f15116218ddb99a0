"""What the hand-off keeps in the conversation, its buttons, and small readers shared by
its states."""

from __future__ import annotations

from datetime import timedelta

from dresbach.features.handoff.flow.texts import BUTTONS
from dresbach.features.handoff.model import (
    HANDOFF_SLOT,
)
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import (
    TextReceived,
)
from dresbach.kernel.machine.machine import Turn
from dresbach.kernel.messages import Button
from dresbach.kernel.text import normalize

OPEN_NOW = "handoff.open_now"
OPENS_AT = "handoff.opens_at"
OPERATOR = "handoff.operator"
NOTED = "handoff.noted"
RATED = "handoff.rated"
"""The closed hand-off the customer is asked to rate."""
RETURN = "handoff.return"
"""Where `confirm_leave` goes back to when the customer stays."""

CLEARED = {HANDOFF_SLOT: None, OPEN_NOW: None, OPENS_AT: None, OPERATOR: None, NOTED: None}
WINDOW = timedelta(hours=24)

CALLBACK = Button(id="handoff:callback", title=BUTTONS["callback"])
KEEP = Button(id="handoff:keep", title=BUTTONS["keep_waiting"])
LEAVE_NOW = Button(id="handoff:leave", title=BUTTONS["menu"])
LEAVE_YES = Button(id="handoff:leave_yes", title=BUTTONS["leave_yes"])
LEAVE_NO = Button(id="handoff:leave_no", title=BUTTONS["leave_no"])

ASKS_HUMAN = ("atendente", "humano", "pessoa", "alguem")
YES = {"sim", "s", "quero", "pode", "pode ser", "sim quero", "claro", "ok", "isso"}
NO = {"nao", "n", "agora nao", "nao quero", "depois"}


def typed_of(turn: Turn) -> str:
    return normalize(turn.event.body) if isinstance(turn.event, TextReceived) else ""


def operator_of(conversation: Conversation) -> str:
    name = conversation.slots.get(OPERATOR)
    return name if isinstance(name, str) and name else "Nossa equipe"
