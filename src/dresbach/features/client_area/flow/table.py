"""The Área do Cliente transition table: a secure login, then the customer's own data.

    start → password → checking → totp | email_code → checking_code → home
    home → services → service → access_kind          (Serviços ativos)
    home → access_service → access_kind → mailbox → opening_access → home   (Acessos)
    home → domains → dns                              (Domínios e DNS)
    dns → domain_change → domain_preview → domain_changing → home   (EPP code, lock)
    home → tickets → ticket → ticket_reply → sending_reply → home
    tickets → department → ticket_subject → ticket_message → opening_ticket → home
    tickets → ticket_form ─flow_reply─▶ finishing_ticket → home   (the ticket Flow)
    home → invoices → invoice                         (Faturas: to look at, never to pay)
    home → menu.main                                  (Sair da área: EndSession)

Every state after the login checks the session first (`session.logged_in`): an idle or too old
session ends there, back at `start`. Every screen with options reads typed words the same way
(`navigation.understood`): its buttons' titles, the sections' names from anywhere, and a brief
answer with the options when it does not understand. The flow never takes a payment: `guard`
refuses any Pix code, boleto line or payment link in its messages.
"""

from __future__ import annotations

from dresbach.features.client_area.flow import (
    domains,
    home,
    invoices,
    navigation,
    new_ticket,
    services,
    tickets,
)
from dresbach.features.client_area.flow.domain_changes import states as domain_changes
from dresbach.features.client_area.login import access
from dresbach.features.client_area.login import steps as login
from dresbach.features.client_area.login.guard import guard
from dresbach.features.client_area.login.session import logged_in
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.machine.machine import Flow

_IN_SESSION = (
    home.STATE,
    *services.STATES,
    *access.STATES,
    *domains.STATES,
    *domain_changes.STATES,
    *tickets.STATES,
    *new_ticket.STATES,
    *invoices.STATES,
)

FLOW = Flow(
    name=ClientArea.flow,
    names=ClientArea,
    title="Área do Cliente",
    entry=ClientArea.START,
    states={
        state.name: state
        for state in (
            *login.STATES,
            *(
                logged_in(new_ticket.completed_anywhere(navigation.understood(state)))
                for state in _IN_SESSION
            ),
        )
    },
    guard=guard,
    shortcuts=navigation.TARGETS,
)
