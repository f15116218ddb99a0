"""Hand-off to a human operator, reachable from anywhere."""

from dresbach.features.handoff.flow.table import FLOW

__all__ = ["FLOW"]
