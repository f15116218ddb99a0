"""The Área do Cliente's registration: its flow and texts."""

from __future__ import annotations

from dresbach.features.client_area import flow
from dresbach.features.client_area.flow import texts
from dresbach.platform.feature import Feature

FEATURE = Feature(
    name="client_area",
    flows=(flow.FLOW,),
    catalogs={"client_area": texts.CATALOG},
)
