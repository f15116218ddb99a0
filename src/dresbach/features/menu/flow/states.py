"""The names of the Menu principal flow's states, checked by the language."""

from __future__ import annotations

from enum import StrEnum

from dresbach.kernel.machine.states import States


class Menu(States, flow="menu"):
    """The main menu's states."""

    NEW = "new"
    MAIN = "main"
    IDLE = "idle"


class Elsewhere(StrEnum):
    """The states of other flows this flow leads to, as `flow.state` (the lint checks that each
    exists); named here rather than imported, so that the flows need not import each other."""

    TECHOPS_CANCEL_MEETING = "techops.cancel_meeting"
