"""Privacidade's registration: its flow, its words from anywhere (`privacidade`)."""

from __future__ import annotations

from dresbach.features.privacy import flow
from dresbach.features.privacy.flow import texts
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.platform.feature import Feature

PRIVACY = GlobalCommand(
    name="privacy",
    words=("privacidade", "meus dados", "privacidade e seus dados"),
    flow=flow.FLOW.name,
    fresh=True,
)
"""Leaves what was under way, as `menu` does."""

FEATURE = Feature(
    name="privacy",
    flows=(flow.FLOW,),
    catalogs={"privacy": texts.CATALOG},
    commands=(PRIVACY,),
)
