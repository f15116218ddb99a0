"""The Tech Ops transition table."""

from __future__ import annotations

from dresbach.flows.machine import Flow
from dresbach.flows.techops.texts import TEXTS
from dresbach.flows.unavailable import unavailable_state

FLOW = Flow(
    name="techops",
    title="Consultoria Tech Ops",
    entry="start",
    states={"start": unavailable_state(TEXTS["unavailable"])},
)
