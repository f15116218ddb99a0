"""The names of the Atendimento humano flow's states, checked by the language."""

from __future__ import annotations

from enum import StrEnum

from dresbach.kernel.machine.states import States


class Handoff(States, flow="handoff"):
    """The states of a conversation handed to our team."""

    START = "start"
    WAITING = "waiting"
    UNANSWERED = "unanswered"
    WITH_HUMAN = "with_human"
    CONFIRM_LEAVE = "confirm_leave"


class Elsewhere(StrEnum):
    """The states of other flows this flow leads to, as `flow.state` (the lint checks that each
    exists); named here rather than imported, so that the flows need not import each other."""

    MENU_MAIN = "menu.main"
