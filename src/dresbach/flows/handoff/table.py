"""The hand-off transition table."""

from __future__ import annotations

from dresbach.flows.handoff.texts import TEXTS
from dresbach.flows.machine import Flow
from dresbach.flows.unavailable import unavailable_state

FLOW = Flow(
    name="handoff",
    title="Atendimento humano",
    entry="start",
    states={"start": unavailable_state(TEXTS["unavailable"], offer_human=False)},
)
