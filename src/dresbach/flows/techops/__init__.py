"""Tech Ops: the premium consulting funnel (qualification, paid diagnosis, Pix, scheduling)."""

from dresbach.flows.techops.table import FLOW

__all__ = ["FLOW"]
