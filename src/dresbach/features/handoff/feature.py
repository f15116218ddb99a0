"""The hand-off's registration: its flow, its words from anywhere (`atendente`), what its
commands become (jobs for the desk), the jobs' handlers and its sweep."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client.metrics_core import Metric
from sqlalchemy import Connection, func, select

from dresbach.features.handoff import flow
from dresbach.features.handoff.flow import texts
from dresbach.features.handoff.model import (
    EndHandOff,
    ForwardToHuman,
    RateHandOff,
    RequestCallback,
)
from dresbach.features.handoff.personal_data import PERSONAL_DATA
from dresbach.features.handoff.states import Handoff
from dresbach.kernel.commands import RequestHandOff
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.routes import Route
from dresbach.kernel.messages import Text
from dresbach.platform.feature import Feature, Jobs, Sweep
from dresbach.platform.observe.metrics import age, gauge
from dresbach.platform.observe.redaction import mask_documents
from dresbach.platform.store.schema import handoffs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import every_field, job

if TYPE_CHECKING:
    from dresbach.features.handoff.service import HandOffService


class Built(Protocol):
    @property
    def handoff(self) -> HandOffService: ...


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
    slash="atendente",
    hint="Falar com uma pessoa da nossa equipe",
)
"""Keeps what was under way: the person sees it, and `voltar` returns to it."""


def _to_person(_turn: Turn) -> Outcome:
    return Outcome(goto=Handoff.START.qualified)


def _to_cancel(_turn: Turn) -> Outcome:
    """Cancelling a service is a person's job: said so, then the hand-off."""
    return Outcome(goto=Handoff.START.qualified, say=(Text(body=texts.TEXTS["cancellation"]),))


ROUTES = (
    Route(
        intent="human",
        title=texts.BUTTONS["route.human"],
        handler=_to_person,
        goes_to=(Handoff.START.qualified,),
        after=("falar com alguem", "falar com uma pessoa", "atendimento humano"),
    ),
    Route(
        intent="cancellation",
        title=texts.BUTTONS["route.cancellation"],
        handler=_to_cancel,
        goes_to=(Handoff.START.qualified,),
    ),
)


def _forwarded(command: ForwardToHuman, sealer: Sealer | None) -> dict[str, Any]:
    """The customer's words, for the desk, with any document masked."""
    return {**every_field(command, sealer), "text": mask_documents(command.text)}


def _rating(command: RateHandOff, sealer: Sealer | None) -> dict[str, Any]:
    """The score, or the comment with any document masked."""
    payload = every_field(command, sealer)
    if command.comment is not None:
        payload["comment"] = mask_documents(command.comment)
    return payload


def _jobs(built: Built) -> Jobs:
    service = built.handoff
    return Jobs(
        handlers={
            "handoff": service.open,
            "forward_to_human": service.forward,
            "end_handoff": service.end,
            "request_callback": service.callback,
            "rate_handoff": service.rate,
        }
    )


def _sweeps(built: Built) -> Sequence[Sweep]:
    return (built.handoff.sweep,)


def _gauges(connection: Connection, now: datetime) -> Iterable[Metric]:
    waiting, waiting_since = connection.execute(
        select(func.count(), func.min(handoffs.c.requested_at)).where(
            handoffs.c.status == "waiting",
            handoffs.c.reason != "consultant",  # a case waiting for its meeting: nobody waits
        )
    ).one()
    active = connection.execute(
        select(func.count()).where(handoffs.c.status == "active")
    ).scalar_one()
    return (
        gauge("dresbach_handoffs_waiting", "Customers waiting for a human", waiting),
        gauge(
            "dresbach_handoffs_oldest_waiting_seconds",
            "How long the longest-waiting customer has waited",
            age(now, waiting_since),
        ),
        gauge("dresbach_handoffs_active", "Hand-offs an operator is handling", active),
    )


FEATURE = Feature(
    name="handoff",
    routes=ROUTES,
    flows=(flow.FLOW,),
    catalogs={"handoff": texts.CATALOG},
    commands=(HUMAN,),
    ice_breakers=("Quero falar com um atendente",),  # the menu's intent and HUMAN: atendente
    effects={
        RequestHandOff: job("handoff"),
        ForwardToHuman: job("forward_to_human", _forwarded),
        EndHandOff: job("end_handoff"),
        RequestCallback: job("request_callback"),
        RateHandOff: job("rate_handoff", _rating),
    },
    jobs=_jobs,
    sweeps=_sweeps,
    gauges=_gauges,
    personal_data=PERSONAL_DATA,
    templates=texts.TEMPLATES,
)
