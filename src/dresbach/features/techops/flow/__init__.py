"""Tech Ops: the premium consulting funnel (qualification, paid diagnosis, Pix, scheduling)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dresbach.kernel.machine.machine import Flow

__all__ = ["FLOW"]


def __getattr__(name: str) -> Flow:
    """`FLOW`, read from the table when first asked for: the diagnosis' modules import parts of
    this package (`lead`) and the table imports them, so importing the table here, eagerly,
    would make a cycle whichever side is imported first."""
    if name == "FLOW":
        from dresbach.features.techops.flow.table import FLOW

        return FLOW
    raise AttributeError(name)
