"""The hand-off's registration: its flow, its words from anywhere (`atendente`)."""

from __future__ import annotations

from dresbach.features.handoff import flow
from dresbach.features.handoff.flow import texts
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.platform.feature import Feature

HUMAN = GlobalCommand(
    name="human",
    words=(
        "atendente",
        "humano",
        "falar com atendente",
        "falar com humano",
        "falar com um atendente",
    ),
    button_ids=("go:human",),
    flow=flow.FLOW.name,
)
"""Keeps what was under way: the person sees it, and `voltar` returns to it."""

FEATURE = Feature(
    name="handoff",
    flows=(flow.FLOW,),
    catalogs={"handoff": texts.CATALOG},
    commands=(HUMAN,),
)
