"""Hand-off to a human operator, reachable from anywhere."""

from dresbach.flows.handoff.table import FLOW

__all__ = ["FLOW"]
