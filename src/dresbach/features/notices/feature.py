"""The notices' registration: the words that stop and resume them (understood at the menu
level only: "parar" in the middle of a question is that question's answer), what those
commands do in the step's transaction, the WHMCS poll as a timer sweep, its templates and its
part of the LGPD copy and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from dresbach.features.notices import records
from dresbach.features.notices.model import ResumeNotices, StopNotices
from dresbach.features.notices.personal_data import PERSONAL_DATA
from dresbach.features.notices.service import NoticesService
from dresbach.features.notices.texts import BUTTONS, CATALOG, TEMPLATES, TEXTS
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.routes import Route
from dresbach.kernel.messages import Text
from dresbach.platform.feature import Feature, Sweep
from dresbach.platform.store.sealing import Sealer


class Built(Protocol):
    @property
    def notices(self) -> NoticesService: ...


AT_REST = "menu"
"""The flow whose places are the menu level (the main menu, the idle and the new
conversation): "parar" there is about the notices; anywhere else it answers the question asked
(or is not understood there), never stopping the notices by surprise."""


def _stop(turn: Turn) -> Outcome:
    place = turn.conversation.place
    if place.flow != AT_REST:  # the same place: the router lets the state's own answer stand
        return Outcome(goto=str(place))
    command = StopNotices(command_id=f"{event_key(turn.event)}:notices:stop")
    return Outcome(say=(Text(body=TEXTS["stopped"]),), commands=(command,), prompt=False)


def _resume(turn: Turn) -> Outcome:
    command = ResumeNotices(command_id=f"{event_key(turn.event)}:notices:resume")
    return Outcome(say=(Text(body=TEXTS["resumed"]),), commands=(command,), prompt=False)


def _stopped(
    connection: Connection, key: str, _command: Any, now: datetime, _sealer: Sealer | None
) -> None:
    records.stop(connection, key, now)


def _resumed(
    connection: Connection, key: str, _command: Any, _now: datetime, _sealer: Sealer | None
) -> None:
    records.resume(connection, key)


STOP_WORDS = ("parar", "pare", "parar avisos", "parar os avisos", "nao quero mais avisos", "stop")
RESUME_WORDS = (
    "voltar a receber",
    "voltar a receber avisos",
    "receber avisos",
    "quero receber os avisos",
    "reativar avisos",
)

ROUTES = (
    Route(
        intent="notices_stop",
        title=BUTTONS["route.stop"],
        handler=_stop,
        goes_to=(),
        alone=STOP_WORDS,
    ),
    Route(
        intent="notices_resume",
        title=BUTTONS["route.resume"],
        handler=_resume,
        goes_to=(),
        alone=RESUME_WORDS,
    ),
)


def _sweeps(built: Built) -> Sequence[Sweep]:
    return (built.notices.sweep,)


FEATURE = Feature(
    name="notices",
    routes=ROUTES,
    catalogs={"notices": CATALOG},
    effects={StopNotices: _stopped, ResumeNotices: _resumed},
    sweeps=_sweeps,
    personal_data=PERSONAL_DATA,
    templates=TEMPLATES,
)
