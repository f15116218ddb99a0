"""The main menu: first contact, the menu itself, and the resting place after `sair`."""

from dresbach.flows.menu.table import FLOW

__all__ = ["FLOW"]
