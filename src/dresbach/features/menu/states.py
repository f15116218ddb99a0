"""The main menu's state names, checked by the language (`kernel.machine.states`)."""

from __future__ import annotations

from dresbach.kernel.machine.states import OtherFlows, States


class Menu(States, flow="menu"):
    """The main menu's states."""

    NEW = "new"
    MAIN = "main"
    IDLE = "idle"
    SALES = "sales"


class Elsewhere(OtherFlows):
    """Where the main menu leads outside itself."""

    TECHOPS_CANCEL_MEETING = "techops.cancel_meeting"
    TECHOPS_START = "techops.start"
    CLIENT_AREA_START = "client_area.start"
    HANDOFF_START = "handoff.start"
    PRIVACY_START = "privacy.start"
