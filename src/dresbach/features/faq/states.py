"""The FAQ's state names, checked by the language (`kernel.machine.states`)."""

from __future__ import annotations

from dresbach.kernel.machine.states import OtherFlows, States


class Faq(States, flow="faq"):
    """The FAQ's one state: an answer was given, "Isso resolveu?" waits for Sim or Não."""

    ASKED = "asked"


class Elsewhere(OtherFlows):
    """Where the FAQ leads outside itself: the menu when resolved, else the next step."""

    MENU_MAIN = "menu.main"
    CLIENT_AREA = "client_area.start"
    HANDOFF = "handoff.start"
