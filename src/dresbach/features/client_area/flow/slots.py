"""Where the Área do Cliente keeps what it knows in the conversation's slots.

Every key starts with ``client_area.``, except the one secret: the CPF/CNPJ typed at the start
lives in ``secret.document`` (sealed at rest by the runtime) only until the password is sent,
and then it is forgotten. No password and no code is ever kept. The data fetched from the
billing and hosting systems is kept only while the session lasts, to page and pick from it.
Values are JSON-able: strings, ints, None, and lists of ``{field: value}`` dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dresbach.features.client_area.model import Row
from dresbach.kernel.conversation import SECRET_SLOT_PREFIX

PREFIX = "client_area."

DOCUMENT = f"{SECRET_SLOT_PREFIX}document"
"""The normalised CPF/CNPJ, between the document and the password (sealed at rest)."""
DOCUMENT_MASKED = "client_area.document_masked"
"""``***.982.247-**``: safe to show and to keep."""
DOCUMENT_KIND = "client_area.document_kind"
"""``cpf`` (a person) or ``cnpj`` (a company): how to greet."""

# -- the login in progress ------------------------------------------------------------------
PENDING_CLIENT = "client_area.pending_client_id"
"""The client whose password was right, until the second factor is checked."""
PENDING_NAME = "client_area.pending_name"
METHOD = "client_area.method"
"""The second factor asked for: "totp" or "email"."""
EMAIL = "client_area.email_masked"
RESENDS = "client_area.resends"
CHAT_LOGIN = "client_area.chat_login"
"""The customer chose to type the login here ("Digitar aqui") instead of the login Flow."""

# -- the session ----------------------------------------------------------------------------
RESUME = "resume.client_area"
"""The section an understood message asked for ("invoices"…), opened after the login instead
of the area's menu. Not under `PREFIX`: a failed login keeps it for the next try."""
CLIENT_ID = "client_area.client_id"
NAME = "client_area.name"
LOGIN_AT = "client_area.login_at"
SEEN_AT = "client_area.seen_at"
"""When the customer last wrote in the session (ISO 8601), for the idle timeout."""

# -- data and choices -----------------------------------------------------------------------
CHANGE = "client_area.domain_change"
"""The domain change being shown or made: "epp", "lock" or "unlock"."""
NAMESERVERS = "client_area.domain_nameservers"
"""The nameservers the customer typed, until the change is made or dropped."""
RECORD = "client_area.domain_record"
"""The DNS record to create or remove, on one line (``www CNAME exemplo.com.br``)."""
PREVIEW = "client_area.domain_preview"
"""Its before/after, as the job wrote it, until the customer confirms or cancels."""
WAITING = "client_area.waiting"
"""The FetchClientData being waited for, as ``what`` or ``what:key``."""
SERVICES = "client_area.data.services"
DOMAINS = "client_area.data.domains"
DNS = "client_area.data.dns"
TICKETS = "client_area.data.tickets"
TICKET = "client_area.data.ticket"
DEPARTMENTS = "client_area.data.departments"
INVOICES = "client_area.data.invoices"
INVOICE = "client_area.data.invoice"

SOURCES: dict[str, str] = {
    "services": SERVICES,
    "domains": DOMAINS,
    "dns": DNS,
    "tickets": TICKETS,
    "ticket": TICKET,
    "departments": DEPARTMENTS,
    "invoices": INVOICES,
    "invoice": INVOICE,
}
"""The slot each kind of data is kept in."""

SERVICE = "client_area.service"
DOMAIN = "client_area.domain"
TICKET_ID = "client_area.ticket_id"
INVOICE_ID = "client_area.invoice_id"
DEPARTMENT = "client_area.department"
SUBJECT = "client_area.subject"
ACCESS = "client_area.access"
FILES = "client_area.files"
"""Media ids of the files sent for the ticket or reply being written (sent with it)."""
MAX_FILES = 5


def files(slots: Mapping[str, Any]) -> tuple[str, ...]:
    value = slots.get(FILES)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


"""What the access link being generated opens (``cPanel de exemplo.com.br``)."""


def page_slot(listing: str) -> str:
    return f"client_area.page.{listing}"


def forget(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Slots that forget the whole client area: the session, its data and any secret."""
    return {k: None for k in slots if k.startswith((PREFIX, SECRET_SLOT_PREFIX))}


def as_items(rows: tuple[Row, ...]) -> list[dict[str, str]]:
    """Fetched rows as JSON-able dicts, in order."""
    return [{str(name): str(value) for name, value in row} for row in rows]


def items(slots: Mapping[str, Any], key: str) -> list[dict[str, str]]:
    """The items kept in a slot (an empty list when nothing, or nothing sensible, is there)."""
    value = slots.get(key)
    if not isinstance(value, list):
        return []
    return [
        {str(k): str(v) for k, v in item.items()} for item in value if isinstance(item, Mapping)
    ]


def text(slots: Mapping[str, Any], key: str) -> str:
    value = slots.get(key)
    return value if isinstance(value, str) else ""
