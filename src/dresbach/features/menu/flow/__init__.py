"""The main menu: first contact, the menu itself, and the resting place after `sair`."""

from dresbach.features.menu.flow.table import FLOW

__all__ = ["FLOW"]
