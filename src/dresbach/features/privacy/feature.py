"""Privacidade's registration: its flow, its words from anywhere (`privacidade`), what its
commands become (jobs) and the jobs' handlers."""

from __future__ import annotations

from typing import Protocol

from dresbach.features.privacy import flow
from dresbach.features.privacy.flow import texts
from dresbach.features.privacy.model import (
    CorrectPersonalData,
    CountCorrectableData,
    ErasePersonalData,
    ExportPersonalData,
)
from dresbach.features.privacy.personal_data import PERSONAL_DATA
from dresbach.features.privacy.service import WIPED_JOBS, PrivacyService
from dresbach.features.privacy.states import Privacy
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.routes import Route
from dresbach.platform.feature import Feature, Jobs
from dresbach.platform.work.effects import job


class Built(Protocol):
    @property
    def privacy(self) -> PrivacyService: ...


PRIVACY = GlobalCommand(
    name="privacy",
    words=("privacidade", "meus dados", "privacidade e seus dados"),
    flow=flow.FLOW.name,
    fresh=True,
    slash="privacidade",
    hint="Os seus dados pessoais: consultar, corrigir ou excluir",
)
"""Leaves what was under way, as `menu` does."""


def _jobs(built: Built) -> Jobs:
    service = built.privacy
    handlers = service.handlers()
    return Jobs(handlers=handlers, give_up=dict.fromkeys(handlers, service.failed))


def _to_privacy(_turn: Turn) -> Outcome:
    return Outcome(goto=Privacy.START.qualified, reset_trail=True)


ROUTES = (
    Route(
        intent="privacy",
        title=texts.BUTTONS["route.privacy"],
        handler=_to_privacy,
        goes_to=(Privacy.START.qualified,),
        after=("privacidade", "meus dados", "dados pessoais"),
    ),
)

FEATURE = Feature(
    name="privacy",
    routes=ROUTES,
    flows=(flow.FLOW,),
    catalogs={"privacy": texts.CATALOG},
    commands=(PRIVACY,),
    effects={
        ExportPersonalData: job("export_personal_data"),
        CountCorrectableData: job("count_correctable_data"),
        CorrectPersonalData: job("correct_personal_data"),
        ErasePersonalData: job("erase_personal_data"),
    },
    jobs=_jobs,
    wipe=WIPED_JOBS,
    personal_data=PERSONAL_DATA,
)
