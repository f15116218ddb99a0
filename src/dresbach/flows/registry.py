"""Every flow and every text catalog, in one place, for the router, the lint and the diagrams."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from dresbach.flows import client_area, handoff, menu, privacy, techops
from dresbach.flows.client_area import texts as client_area_texts
from dresbach.flows.handoff import texts as handoff_texts
from dresbach.flows.machine import Flow
from dresbach.flows.menu import texts as menu_texts
from dresbach.flows.privacy import texts as privacy_texts
from dresbach.flows.techops import texts as techops_texts

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
