"""The Área do Cliente's registration: its flow and texts, what its commands become (jobs, a
login's secrets sealed), and the jobs' handlers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from dresbach.features.client_area import flow
from dresbach.features.client_area.context import CLIENT
from dresbach.features.client_area.flow import home, slots, texts
from dresbach.features.client_area.login import session, starters
from dresbach.features.client_area.login.resume import RESUMED_AT, SECTION_OF
from dresbach.features.client_area.model import (
    ApplyDomainChange,
    CheckLogin,
    CheckSecondFactor,
    EndSession,
    FetchClientData,
    FinishFlowLogin,
    FinishFlowTicket,
    OpenTicket,
    PreviewDomainChange,
    ReplyTicket,
    RequestAccessLink,
    ResendEmailCode,
)
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.machine.machine import Handler, Outcome, Turn
from dresbach.kernel.machine.routes import Route
from dresbach.kernel.messages import Text
from dresbach.platform.feature import Feature, Jobs
from dresbach.platform.observe import audit
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import fields_but_id, job, sealed

if TYPE_CHECKING:
    from dresbach.features.client_area.domains.changes import DomainChanges
    from dresbach.features.client_area.login_form import LoginForm
    from dresbach.features.client_area.service import ClientAreaService
    from dresbach.features.client_area.ticket_form import TicketForm


class Built(Protocol):
    @property
    def client_area(self) -> ClientAreaService: ...

    @property
    def login_form(self) -> LoginForm: ...

    @property
    def ticket_form(self) -> TicketForm: ...

    @property
    def domain_changes(self) -> DomainChanges: ...


def _login(command: CheckLogin, sealer: Sealer | None) -> dict[str, Any]:
    return {"sealed": sealed(sealer, {"document": command.document, "password": command.password})}


def _second_factor(command: CheckSecondFactor, sealer: Sealer | None) -> dict[str, Any]:
    return {
        "client_id": command.client_id,
        "method": command.method,
        "sealed": sealed(sealer, {"code": command.code}),
    }


def _flow_login(command: FinishFlowLogin, sealer: Sealer | None) -> dict[str, Any]:
    return {"sealed": sealed(sealer, {"flow_token": command.flow_token})}


def _flow_ticket(command: FinishFlowTicket, sealer: Sealer | None) -> dict[str, Any]:
    return {
        "client_id": command.client_id,
        "sealed": sealed(sealer, {"flow_token": command.flow_token}),
    }


def _session_ended(
    connection: Connection, key: str, command: EndSession, now: datetime, _sealer: Sealer | None
) -> None:
    audit.record(
        connection,
        who=key,
        action="session_ended",
        now=now,
        detail=f"client {command.client_id}: {command.reason}",
    )


def _jobs(built: Built) -> Jobs:
    service = built.client_area
    return Jobs(
        handlers={
            "check_login": service.check_login,
            "check_second_factor": service.check_second_factor,
            "finish_flow_login": built.login_form.finish,
            "finish_flow_ticket": built.ticket_form.finish,
            "send_email_code": service.send_email_code,
            "fetch_client_data": service.fetch_client_data,
            "access_link": service.access_link,
            "open_ticket": service.open_ticket,
            "reply_ticket": service.reply_ticket,
            "preview_domain_change": built.domain_changes.preview_job,
            "apply_domain_change": built.domain_changes.apply_job,
        }
    )


WITHIN = {
    "services": (ClientArea.SERVICES, ClientArea.SERVICE),
    "access": (ClientArea.ACCESS_SERVICE, ClientArea.ACCESS_KIND, ClientArea.MAILBOX),
    "domains": (ClientArea.DOMAINS, ClientArea.DNS, ClientArea.DOMAIN_CHANGE),
    "tickets": (ClientArea.TICKETS, ClientArea.TICKET, ClientArea.DEPARTMENT),
    "invoices": (ClientArea.INVOICES, ClientArea.INVOICE),
}
"""The screens of each section: asked for there ("qual é o ip?" on a DNS page), the section is
not opened again over what is shown."""


def _after_login(section: str) -> Handler:
    """The login, then the section; at once when the session is open (no second login). In
    the section already, it leads where the customer is: the router keeps the screen's own
    answer (`listening`: a route to where one is says nothing new)."""

    def handler(turn: Turn) -> Outcome:
        place = turn.conversation.place
        if place.flow == ClientArea.flow and place.state in WITHIN[section]:
            return Outcome(goto=ClientArea(place.state).qualified)
        if session.live(turn):  # named in full: the tier may hear it outside the area
            opened = home.OPENERS[section](turn)
            return replace(opened, goto=ClientArea(str(opened.goto)).qualified)
        return Outcome(
            goto=ClientArea.START.qualified,
            say=(Text(body=texts.TEXTS["resume_login"]),),
            slots={slots.RESUME: section},
            reset_trail=True,
        )

    return handler


AFTER = {
    "billing": ("segunda via", "fatura", "boleto"),
    "access": ("cpanel", "webmail", "whm"),
    "domains_dns": ("dominio", "dns"),
    "support_ticket": ("ticket", "chamado", "suporte"),
}
"""Words that still lead to each section when the tier is not sure of anything."""


def _to_area(turn: Turn) -> Outcome:
    """The login; the area's menu when the session is open."""
    if session.live(turn):
        return Outcome(goto=ClientArea.HOME.qualified, reset_trail=True)
    return Outcome(goto=ClientArea.START.qualified, reset_trail=True)


_OPENED_AT = tuple(place.qualified for place in RESUMED_AT)
"""Where a section asked for in an open session is shown."""


ROUTES = (
    *(
        Route(
            intent=intent,
            title=texts.TEXTS[f"route.{intent}"],
            handler=_after_login(section),
            goes_to=(ClientArea.START.qualified, *_OPENED_AT),
            alone=starters.alone(intent),
            after=AFTER[intent],
            answer_first=True,
        )
        for intent, section in SECTION_OF.items()
    ),
    Route(
        intent="client_area",
        title=texts.TEXTS["route.client_area"],
        handler=_to_area,
        goes_to=(ClientArea.START.qualified, ClientArea.HOME.qualified),
        alone=("area do cliente", "minha area do cliente"),
        after=("area do cliente",),
    ),
)

FEATURE = Feature(
    name="client_area",
    routes=ROUTES,
    flows=(flow.FLOW,),
    commands=starters.COMMANDS,
    ice_breakers=tuple(starters.ICE_BREAKERS.values()),
    catalogs={"client_area": texts.CATALOG},
    context=(CLIENT,),
    effects={
        CheckLogin: job("check_login", _login),
        CheckSecondFactor: job("check_second_factor", _second_factor),
        FinishFlowLogin: job("finish_flow_login", _flow_login),
        FinishFlowTicket: job("finish_flow_ticket", _flow_ticket),
        EndSession: _session_ended,
        ResendEmailCode: job("send_email_code", fields_but_id),
        FetchClientData: job("fetch_client_data", fields_but_id),
        RequestAccessLink: job("access_link", fields_but_id),
        OpenTicket: job("open_ticket", fields_but_id),
        ReplyTicket: job("reply_ticket", fields_but_id),
        PreviewDomainChange: job("preview_domain_change", fields_but_id),
        ApplyDomainChange: job("apply_domain_change", fields_but_id),
    },
    jobs=_jobs,
    wipe=frozenset(
        {"check_login", "check_second_factor", "finish_flow_login", "finish_flow_ticket"}
    ),
)
