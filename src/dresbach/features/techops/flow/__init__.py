"""Tech Ops: the premium consulting funnel (qualification, paid diagnosis, Pix, scheduling)."""

from dresbach.features.techops.flow.table import FLOW

__all__ = ["FLOW"]
