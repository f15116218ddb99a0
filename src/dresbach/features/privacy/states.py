"""The Privacidade state names, checked by the language (`kernel.machine.states`)."""

from __future__ import annotations

from dresbach.kernel.machine.states import OtherFlows, States


class Privacy(States, flow="privacy"):
    """The Privacidade states (a copy of the data, corrections, erasure)."""

    START = "start"
    EXPORTING = "exporting"
    CORRECT_CHECKING = "correct_checking"
    CORRECT_WHICH = "correct_which"
    CORRECT_NAME = "correct_name"
    CORRECT_EMAIL = "correct_email"
    CORRECTING = "correcting"
    ERASE_CONFIRM = "erase_confirm"
    ERASING = "erasing"


class Elsewhere(OtherFlows):
    """Where the Privacidade flow leads outside itself."""

    MENU_MAIN = "menu.main"
    MENU_NEW = "menu.new"
