"""The Área do Cliente transition table."""

from __future__ import annotations

from dresbach.flows.client_area.texts import TEXTS
from dresbach.flows.machine import Flow
from dresbach.flows.unavailable import unavailable_state

FLOW = Flow(
    name="client_area",
    title="Área do Cliente",
    entry="start",
    states={"start": unavailable_state(TEXTS["unavailable"])},
)
