"""Every flow and every text catalog, in one place, for the router, the lint and the diagrams."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from dresbach.features.client_area import flow as client_area
from dresbach.features.client_area.flow import texts as client_area_texts
from dresbach.features.handoff import flow as handoff
from dresbach.features.handoff.flow import texts as handoff_texts
from dresbach.features.menu import flow as menu
from dresbach.features.menu.flow import texts as menu_texts
from dresbach.features.privacy import flow as privacy
from dresbach.features.privacy.flow import texts as privacy_texts
from dresbach.features.techops import flow as techops
from dresbach.features.techops.flow import texts as techops_texts
from dresbach.kernel.machine.machine import Flow

FLOWS: Mapping[str, Flow] = MappingProxyType(
    {f.name: f for f in (menu.FLOW, techops.FLOW, client_area.FLOW, handoff.FLOW, privacy.FLOW)}
)

CATALOGS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "menu": {**menu_texts.TEXTS, **menu_texts.WHAT},
        "menu.buttons": menu_texts.BUTTONS,
        "techops": techops_texts.CATALOG,
        "client_area": client_area_texts.CATALOG,
        "handoff": handoff_texts.CATALOG,
        "privacy": privacy_texts.CATALOG,
    }
)
