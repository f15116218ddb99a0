"""The Área do Cliente's state names, checked by the language (`kernel.machine.states`)."""

from __future__ import annotations

from dresbach.kernel.machine.states import OtherFlows, States


class ClientArea(States, flow="client_area"):
    """The Área do Cliente's states (the login, then the customer's own data)."""

    START = "start"
    PASSWORD = "password"  # noqa: S105 - the name of a state, not a secret
    CHECKING = "checking"
    TOTP = "totp"
    EMAIL_CODE = "email_code"
    CHECKING_CODE = "checking_code"
    FINISHING_LOGIN = "finishing_login"
    HOME = "home"
    SERVICES = "services"
    SERVICE = "service"
    ACCESS_SERVICE = "access_service"
    ACCESS_KIND = "access_kind"
    MAILBOX = "mailbox"
    OPENING_ACCESS = "opening_access"
    DOMAINS = "domains"
    DNS = "dns"
    DOMAIN_CHANGE = "domain_change"
    DOMAIN_NAMESERVERS = "domain_nameservers"
    DOMAIN_RECORD = "domain_record"
    DOMAIN_RECORD_PICK = "domain_record_pick"
    DOMAIN_PREVIEW = "domain_preview"
    DOMAIN_CHANGING = "domain_changing"
    TICKETS = "tickets"
    TICKET = "ticket"
    TICKET_REPLY = "ticket_reply"
    SENDING_REPLY = "sending_reply"
    DEPARTMENT = "department"
    TICKET_SUBJECT = "ticket_subject"
    TICKET_MESSAGE = "ticket_message"
    OPENING_TICKET = "opening_ticket"
    TICKET_FORM = "ticket_form"
    FINISHING_TICKET = "finishing_ticket"
    INVOICES = "invoices"
    INVOICE = "invoice"


class Elsewhere(OtherFlows):
    """Where the Área do Cliente leads outside itself."""

    MENU_MAIN = "menu.main"
    SITE_DOWN = "sitedown.start"
    """The site-down assistant (`features/sitecheck`), which lists the client's services."""
