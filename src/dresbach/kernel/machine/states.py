"""The names of a flow's states, checked by the language (after aiogram's `StatesGroup`).

Each flow declares one enum of its states next to its table:

    class TechOps(States, flow="techops"):
        START = "start"
        BOOKED = "booked"

A member is its name (a `StrEnum` equals its string: persisted conversations and tests that
write "booked" keep working), so a mistyped `TechOps.BOKED` is an AttributeError and a mypy
error, not a silent miss. `TechOps.BOOKED.qualified` is "techops.booked", for the rules that
may run from another flow (interrupts). The lint checks that a flow's table and its enum name
the same states (`lint.lint_names`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar


class States(StrEnum):
    """Base of every flow's enum of state names; `flow` is the flow's name."""

    flow: ClassVar[str]

    def __init_subclass__(cls, *, flow: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.flow = flow

    @property
    def qualified(self) -> str:
        """`flow.state`, as a rule names a state it reaches from another flow."""
        return f"{type(self).flow}.{self.value}"


class OtherFlows(StrEnum):
    """Base of the enum each flow declares of the states of other flows it leads to, as
    `flow.state` (the lint checks that each exists): named there once rather than imported from
    the other flow, so that the flows need not import each other."""
