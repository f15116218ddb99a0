"""The site-down assistant's states, its command and the event that answers it. Plain data."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.commands import Command
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.machine.states import OtherFlows, States


class SiteDown(States, flow="sitedown"):
    """The assistant's states: the site to check (a domain, or a service after the login),
    the checks under way, and what they found."""

    START = "start"
    DOMAIN = "domain"
    SERVICE = "service"
    CHECKING = "checking"
    DONE = "done"


class Elsewhere(OtherFlows):
    """Where the assistant leads outside itself."""

    MENU_MAIN = "menu.main"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSiteCheck(Command):
    """Check one site, as a job: from the domain alone (``client_id`` None: DNS, HTTP and TLS
    only, never account data), or the logged-in client's service (``service_id``, when one
    was picked). ``reported`` is what the customer said, for the ticket."""

    domain: str
    client_id: str | None = None
    service_id: str | None = None
    reported: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteChecked(InternalEvent):
    """The checks of ``domain`` ran: ``messages`` are what the customer reads (the findings in
    pt-BR with what to do, or that nothing explains it); ``ticket`` the number of the ticket
    opened with every check's result, when one was."""

    command: str
    domain: str
    messages: tuple[str, ...]
    ticket: str | None = None

    @property
    def kind(self) -> str:
        return "site_checked"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteCheckProgress(InternalEvent):
    """The checks of ``command`` are still running after a while (a slow site, a slow WHM)."""

    command: str

    @property
    def kind(self) -> str:
        return "site_check_progress"
