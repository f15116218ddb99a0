"""The incidents' registration: the open incidents before the outage intents' routes, who
asked kept in the step's transaction, their words, the closing's template and what they hold
about a customer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client.metrics_core import Metric
from sqlalchemy import Connection

from dresbach.features.incidents import records
from dresbach.features.incidents.ahead import AHEAD
from dresbach.features.incidents.model import IncidentAsked
from dresbach.features.incidents.texts import CATALOG, TEMPLATES
from dresbach.platform.feature import Feature, PersonalData
from dresbach.platform.observe.metrics import gauge


def _gauges(connection: Connection, _now: datetime) -> Iterable[Metric]:
    open_count, asked = records.waiting(connection)
    return (
        gauge("dresbach_incidents_open", "Incidents open now", open_count),
        gauge(
            "dresbach_incident_askers_open",
            "Customers who asked about an open incident, to be told of its closing",
            asked,
        ),
    )


FEATURE = Feature(
    name="incidents",
    ahead=AHEAD,
    effects={IncidentAsked: records.asked},
    catalogs={"incidents": CATALOG},
    templates=TEMPLATES,
    gauges=_gauges,
    personal_data=PersonalData(held=records.held, erase=records.erase, purge=records.purge),
)
