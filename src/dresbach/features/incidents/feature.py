"""The incidents' registration: the open incidents before the outage intents' routes, who
asked kept in the step's transaction, their words, the closing's template and what they hold
about a customer."""

from __future__ import annotations

from dresbach.features.incidents import records
from dresbach.features.incidents.ahead import AHEAD
from dresbach.features.incidents.model import IncidentAsked
from dresbach.features.incidents.texts import CATALOG, TEMPLATES
from dresbach.platform.feature import Feature, PersonalData

FEATURE = Feature(
    name="incidents",
    ahead=AHEAD,
    effects={IncidentAsked: records.asked},
    catalogs={"incidents": CATALOG},
    templates=TEMPLATES,
    personal_data=PersonalData(held=records.held, erase=records.erase, purge=records.purge),
)
