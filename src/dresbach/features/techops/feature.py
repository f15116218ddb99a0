"""The Consultoria Tech Ops' registration: its flow and texts."""

from __future__ import annotations

from dresbach.features.techops import flow
from dresbach.features.techops.flow import texts
from dresbach.platform.feature import Feature

FEATURE = Feature(
    name="techops",
    flows=(flow.FLOW,),
    catalogs={"techops": texts.CATALOG},
)
