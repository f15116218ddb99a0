"""The WHMCS adapter: the client directory (clients, services, domains, tickets, invoices), over
the External API of `whmcs_api`.

* Every call is ``POST {url}/includes/api.php``, form-encoded, with ``identifier``, ``secret``,
  ``action`` and ``responsetype=json`` (and ``accesskey`` when configured, which bypasses WHMCS's
  IP allowlist). ``url`` is the WHMCS root; a URL already ending in ``api.php`` is used as is.
* WHMCS's quirks are read defensively everywhere (`whmcs_api`: numbers as strings, lists
  double-wrapped, unset dates, local timestamps, HTML entities).
* Lists are paged with ``limitstart`` / ``limitnum`` until ``totalresults`` is reached.

Finding a client by CPF/CNPJ (reference §2.6): WHMCS cannot search a custom field. With
``lookup_action`` set (e.g. ``"GetClientByDocument"``, a custom API command installed on the
WHMCS side, called with ``document=<normalized>`` and answering ``clientid``) one call finds the
candidate. Without it the adapter pages ``GetClients`` (every client, cheap) and reads
``GetClientsDetails`` one by one (4 at a time), Active clients first, then by id, until one
matches: N+1 calls, fine for a small base, the custom command is the production choice. In both
cases the match is decided on ``GetClientsDetails`` (`whmcs_api`): the custom field whose ``id`` (or
``name``, where a version sends it) is ``document_field`` (``"tax_id"`` reads the native field),
compared after normalization (``529.982.247-25`` = ``52998224725``, ``12.abc.345/01de-35`` =
``12ABC34501DE35``). Closed clients are never returned (WHMCS refuses their login).

Passwords: ``ValidateLogin`` (``email``, ``password2``). WHMCS 8 answers the *user* id, which is
not the client id; the adapter then requires that user to be one of the client's
``users.user[]`` (from ``GetClientsDetails``). Without that list (WHMCS 7) the user id must equal
the client id. Repeated wrong passwords may make WHMCS ban the caller's IP: the flow must limit
attempts.

Tickets, invoices: every read checks that the record belongs to the client (``userid``); another
client's ticket or invoice is ``None``, exactly like a missing one. Internal ticket notes are never
read. Draft invoices are hidden, as WHMCS's client area hides them. No payment link is ever
returned: ``Invoice.pdf_url`` is only ``invoice_pdf_url_template`` (``{invoice_id}`` replaced),
which may not point at ``viewinvoice``. The customer's files go with a new ticket or a reply as
``attachments`` (`whmcs_api.attached`). Services: how ``reseller`` is decided is in `whmcs_api`;
``mailboxes`` stay empty (they come from WHM).

Errors: ``result: error`` → :class:`WhmcsError` (a ``PermanentError``; "... Not Found" becomes
``None`` where the method returns an Optional); HTTP 403 → ``PermanentError`` (IP not allowed or
access denied, with WHMCS's message); 408, 425, 429, 5xx, timeouts and transport failures →
``TransientError``; other 4xx and non-JSON answers → ``PermanentError``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

import httpx

from dresbach.features.client_area.adapters.whmcs_api import (
    JsonObject,
    WhmcsApi,
    WhmcsError,
    account_of,
    as_clean_text,
    as_text,
    attached,
    check_pdf_template,
    department_of,
    domain_of,
    invoice_item_of,
    invoice_of,
    items_of,
    latest_first,
    matches,
    newest_first,
    reply_of,
    service_of,
    ticket_of,
)
from dresbach.features.client_area.hosting import (
    ClientAccount,
    Department,
    Domain,
    Invoice,
    Service,
    Ticket,
)
from dresbach.kernel.documents import Document, DocumentError, parse_document
from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.ports import Attachment

__all__ = ["WhmcsDirectory", "WhmcsError"]

T = TypeVar("T")

CONCURRENCY: Final = 4
_ID: Final = re.compile(r"[0-9]{1,18}")
_BAD_LOGIN: Final = re.compile(r"email or password|password invalid|invalid login", re.I)
_NO_REGISTRAR: Final = frozenset(
    {
        "Pending",
        "Pending Registration",
        "Pending Transfer",
        "Cancelled",
        "Fraud",
        "Transferred Away",
    }
)
"""Domain statuses for which asking the registrar for nameservers makes no sense."""


class WhmcsDirectory:
    """The ``ClientDirectory`` port over the WHMCS External API. Call ``aclose()`` at shutdown."""

    def __init__(
        self,
        *,
        url: str,
        identifier: str,
        secret: str,
        document_field: str,
        clock: Callable[[], datetime],
        timeout: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
        invoice_pdf_url_template: str | None = None,
        lookup_action: str | None = None,
        access_key: str | None = None,
        reseller_product_ids: Collection[str] = (),
        timezone: str = "America/Sao_Paulo",
    ) -> None:
        if not document_field.strip():
            raise ValueError("document_field: the id (or name) of the CPF/CNPJ custom field")
        self._document_field = document_field.strip()
        self._clock = clock
        self._pdf_template = check_pdf_template(invoice_pdf_url_template)
        self._lookup_action = lookup_action
        self._reseller_ids = frozenset(reseller_product_ids)
        self._tz: tzinfo = ZoneInfo(timezone)
        self._api = WhmcsApi(
            url=url,
            identifier=identifier,
            secret=secret,
            access_key=access_key,
            timeout=timeout,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._api.aclose()

    # ---- identity ------------------------------------------------------------------------------

    async def find_by_document(self, document: str) -> ClientAccount | None:
        try:
            wanted = parse_document(document)
        except DocumentError:
            return None
        if self._lookup_action:
            candidates = await self._lookup(wanted)
        else:
            candidates = await self._scan_order()
        for start in range(0, len(candidates), CONCURRENCY):
            batch = candidates[start : start + CONCURRENCY]
            for client in await _gather(self._details(client_id) for client_id in batch):
                if client is not None and matches(client, wanted, self._document_field):
                    return account_of(client, wanted)
        return None

    async def check_password(self, client_id: str, email: str, password: str) -> bool:
        if not _ID.fullmatch(client_id) or not email.strip() or not password:
            return False
        try:
            answer = await self._api.call("ValidateLogin", email=email.strip(), password2=password)
        except WhmcsError as error:
            if _BAD_LOGIN.search(error.message):
                return False
            raise
        user_id = as_text(answer.get("userid"))
        if not user_id:
            return False
        client = await self._details(client_id)
        if client is None or as_text(client.get("status")) == "Closed":
            return False
        if "users" not in client:  # WHMCS 7: logins are per client
            return user_id == client_id
        return any(as_text(user.get("id")) == user_id for user in items_of(client, "users", "user"))

    # ---- services and domains ------------------------------------------------------------------

    async def contact(self, client_id: str) -> tuple[str, str] | None:
        """(e-mail, name) of a client, to send a new 2FA code."""
        client = await self._details(client_id)
        if client is None:
            return None
        name = as_clean_text(client.get("fullname")) or as_clean_text(client.get("companyname"))
        return as_text(client.get("email")), name

    async def services(self, client_id: str) -> list[Service]:
        _require_id(client_id, "client")
        products = await self._api.collect(
            "GetClientsProducts", "products", "product", clientid=client_id
        )
        return [
            service_of(p, self._reseller_ids) for p in products if _owned(p, "clientid", client_id)
        ]

    async def domains(self, client_id: str) -> list[Domain]:
        _require_id(client_id, "client")
        records = await self._api.collect(
            "GetClientsDomains", "domains", "domain", clientid=client_id
        )
        owned = [r for r in records if _owned(r, "userid", client_id)]
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def nameservers(record: JsonObject) -> tuple[str, ...]:
            async with semaphore:
                return await self._nameservers(record)

        found = await _gather(nameservers(r) for r in owned)
        return [domain_of(r, ns) for r, ns in zip(owned, found, strict=True)]

    # ---- tickets -------------------------------------------------------------------------------

    async def tickets(self, client_id: str) -> list[Ticket]:
        _require_id(client_id, "client")
        found = await self._api.collect(
            "GetTickets",
            "tickets",
            "ticket",
            clientid=client_id,
            ignore_dept_assignments="true",
        )
        owned = [t for t in found if as_text(t.get("userid")) == client_id]
        names: Mapping[str, str] = {}
        if any(not as_text(t.get("deptname")) for t in owned):
            names = {d.department_id: d.name for d in await self.departments()}
        tickets = [ticket_of(t, names, self._tz, replies=()) for t in owned]
        return sorted(tickets, key=newest_first)

    async def ticket(self, client_id: str, ticket_id: str) -> Ticket | None:
        if not _ID.fullmatch(client_id) or not _ID.fullmatch(ticket_id):
            return None
        try:
            answer = await self._api.call("GetTicket", ticketid=ticket_id, repliessort="ASC")
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        if as_text(answer.get("userid")) != client_id:
            return None
        names: Mapping[str, str] = {}
        if not as_text(answer.get("deptname")):
            names = {d.department_id: d.name for d in await self.departments()}
        replies = [reply_of(r, self._tz) for r in items_of(answer, "replies", "reply")]
        replies.sort(key=lambda reply: reply.when or datetime.min.replace(tzinfo=self._tz))
        return ticket_of(answer, names, self._tz, replies=tuple(replies))

    async def departments(self) -> list[Department]:
        answer = await self._api.call("GetSupportDepartments", ignore_dept_assignments="true")
        return [department_of(d) for d in items_of(answer, "departments", "department")]

    async def open_ticket(
        self,
        client_id: str,
        department_id: str,
        subject: str,
        message: str,
        attachments: Sequence[Attachment] = (),
    ) -> Ticket:
        _require_id(client_id, "client")
        subject, message = " ".join(subject.split()), message.strip()
        if not subject or not message:
            raise PermanentError("WHMCS OpenTicket: the subject and the message are required")
        names = {d.department_id: d.name for d in await self.departments()}
        if department_id not in names:
            raise PermanentError(f"WHMCS OpenTicket: unknown department {department_id!r}")
        fields = {"clientid": client_id, "deptid": department_id, "subject": subject}
        answer = await self._api.call(
            "OpenTicket", **fields, message=message, **attached(attachments)
        )
        ticket_id = as_text(answer.get("id"))
        if not ticket_id:
            raise PermanentError("WHMCS OpenTicket: the answer has no ticket id")
        return Ticket(
            ticket_id=ticket_id,
            number=as_text(answer.get("tid")) or ticket_id,
            subject=subject,
            status="Open",
            department=names[department_id],
            updated=self._clock(),
        )

    async def reply_ticket(
        self, client_id: str, ticket_id: str, message: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        if not message.strip():
            raise PermanentError("WHMCS AddTicketReply: the message is empty")
        if await self.ticket(client_id, ticket_id) is None:
            raise PermanentError(f"WHMCS AddTicketReply: ticket {ticket_id!r} is not this client's")
        fields = {"ticketid": ticket_id, "clientid": client_id, "message": message.strip()}
        await self._api.call("AddTicketReply", **fields, **attached(attachments))

    # ---- invoices ------------------------------------------------------------------------------

    async def invoices(self, client_id: str) -> list[Invoice]:
        _require_id(client_id, "client")
        found = await self._api.collect(
            "GetInvoices", "invoices", "invoice", userid=client_id, orderby="date", order="desc"
        )
        invoices = [
            invoice_of(i, as_text(i.get("id")), self._pdf_template, items=())
            for i in found
            if as_text(i.get("userid")) == client_id and as_text(i.get("status")) != "Draft"
        ]
        return sorted(invoices, key=latest_first)

    async def invoice(self, client_id: str, invoice_id: str) -> Invoice | None:
        if not _ID.fullmatch(client_id) or not _ID.fullmatch(invoice_id):
            return None
        try:
            answer = await self._api.call("GetInvoice", invoiceid=invoice_id)
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        if as_text(answer.get("userid")) != client_id or as_text(answer.get("status")) == "Draft":
            return None
        items = tuple(invoice_item_of(i) for i in items_of(answer, "items", "item"))
        return invoice_of(
            answer, as_text(answer.get("invoiceid")) or invoice_id, self._pdf_template, items=items
        )

    # ---- finding a client ----------------------------------------------------------------------

    async def _lookup(self, wanted: Document) -> list[str]:
        assert self._lookup_action is not None
        try:
            answer = await self._api.call(self._lookup_action, document=wanted.value)
        except WhmcsError as error:
            if error.not_found:
                return []
            raise
        client_id = as_text(answer.get("clientid") or answer.get("client_id"))
        return [client_id] if _ID.fullmatch(client_id) else []

    async def _scan_order(self) -> list[str]:
        clients = await self._api.collect("GetClients", "clients", "client")
        ranked = sorted(
            (
                (
                    as_text(c.get("status")) != "Active",
                    int(as_text(c.get("id"))),
                    as_text(c.get("id")),
                )
                for c in clients
                if _ID.fullmatch(as_text(c.get("id"))) and as_text(c.get("status")) != "Closed"
            ),
        )
        return [client_id for _, _, client_id in ranked]

    async def _details(self, client_id: str) -> JsonObject | None:
        try:
            answer = await self._api.call("GetClientsDetails", clientid=client_id)
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        client = answer.get("client")
        return client if isinstance(client, dict) else answer

    # ---- records -------------------------------------------------------------------------------

    async def _nameservers(self, record: JsonObject) -> tuple[str, ...]:
        if as_text(record.get("status")) in _NO_REGISTRAR or not as_text(record.get("id")):
            return ()
        try:
            answer = await self._api.call(
                "DomainGetNameservers", domainid=as_text(record.get("id"))
            )
        except (PermanentError, TransientError):
            return ()  # the registrar is down or unsupported: the list still shows, without NS
        found = (as_text(answer.get(f"ns{n}")).lower().rstrip(".") for n in range(1, 6))
        return tuple(ns for ns in found if ns)


# ---- helpers -----------------------------------------------------------------------------------


async def _gather(coroutines: Iterable[Awaitable[T]]) -> list[T]:
    """All results, or the first error once every coroutine has finished."""
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [result for result in results if not isinstance(result, BaseException)]


def _require_id(value: str, what: str) -> None:
    if not _ID.fullmatch(value):
        raise PermanentError(f"WHMCS: invalid {what} id {value!r}")


def _owned(record: JsonObject, key: str, client_id: str) -> bool:
    owner = as_text(record.get(key))
    return not owner or owner == client_id
