"""The ``Incidents`` port while no incident is kept anywhere: none is ever open."""

from __future__ import annotations

from dresbach.features.sitecheck.results import OpenIncident


class NoIncidents:
    async def open_incident(self, server: str | None) -> OpenIncident | None:
        return None
