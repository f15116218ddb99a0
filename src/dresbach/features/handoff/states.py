"""The state names of a conversation handed to our team, checked by the language."""

from __future__ import annotations

from dresbach.kernel.machine.states import OtherFlows, States


class Handoff(States, flow="handoff"):
    """The states of a conversation handed to our team."""

    START = "start"
    WAITING = "waiting"
    UNANSWERED = "unanswered"
    WITH_HUMAN = "with_human"
    CONFIRM_LEAVE = "confirm_leave"
    RATING = "rating"
    RATING_COMMENT = "rating_comment"


class Elsewhere(OtherFlows):
    """Where a conversation with our team leads outside itself."""

    MENU_MAIN = "menu.main"
