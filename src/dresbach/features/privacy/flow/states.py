"""The names of the Privacidade e seus dados flow's states, checked by the language."""

from __future__ import annotations

from enum import StrEnum

from dresbach.kernel.machine.states import States


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


class Elsewhere(StrEnum):
    """The states of other flows this flow leads to, as `flow.state` (the lint checks that each
    exists); named here rather than imported, so that the flows need not import each other."""

    MENU_MAIN = "menu.main"
    MENU_NEW = "menu.new"
