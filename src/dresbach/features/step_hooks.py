"""What the features tell the unit of work at every step (`StepHooks`), in one value the
bootstrap gives to the pipeline and the door."""

from __future__ import annotations

from dresbach.features.client_area import sessions
from dresbach.features.handoff.flow import FLOW as HANDOFF
from dresbach.features.incidents.records import with_incidents
from dresbach.features.techops.holdings import with_holdings
from dresbach.platform.store.hooks import StepHooks

STEP_HOOKS = StepHooks(
    enrich=(with_holdings, with_incidents),
    opens_window=(sessions.opens_window,),
    closes_window=(sessions.closes_window,),
    read_by_a_person=frozenset({HANDOFF.name}),
    after_step=(sessions.audit_session_end,),
)
