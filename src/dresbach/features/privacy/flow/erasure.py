"""Erasure (LGPD art. 18 IV and VI): what stays by law said plainly, a confirmation, then the
job; afterwards the conversation starts afresh, with the privacy notice again."""

from __future__ import annotations

from dresbach.features.privacy.flow.answers import confirmation_of
from dresbach.features.privacy.flow.prompts import say
from dresbach.features.privacy.model import ErasePersonalData
from dresbach.features.privacy.states import Elsewhere, Privacy
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Turn

FRESH = Elsewhere.MENU_NEW
"""Where an erased conversation waits: its next message is a first contact."""


def confirm(turn: Turn) -> Outcome:
    answer = confirmation_of(turn.event)
    if answer is None:
        return Outcome(say=(say("not_understood", turn.policy),), missed="unclear")
    if not answer:
        return Outcome(goto=Privacy.START, say=(say("erase_kept", turn.policy),))
    command = ErasePersonalData(command_id=f"{event_key(turn.event)}:privacy:erase")
    return Outcome(goto=Privacy.ERASING, commands=(command,))


def erased(turn: Turn) -> Outcome:
    """Done: say so, and start afresh (the next message is greeted as a first contact)."""
    return Outcome(goto=FRESH, say=(say("erased", turn.policy),), prompt=False, reset_trail=True)
