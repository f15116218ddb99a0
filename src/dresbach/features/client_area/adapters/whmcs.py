"""The WHMCS adapter: the client directory (clients, services, domains, tickets, invoices).

* Every call is ``POST {url}/includes/api.php``, form-encoded, with ``identifier``, ``secret``,
  ``action`` and ``responsetype=json`` (and ``accesskey`` when configured, which bypasses WHMCS's
  IP allowlist). ``url`` is the WHMCS root; a URL already ending in ``api.php`` is used as is.
* WHMCS quirks, read defensively everywhere: numbers as strings (``"id": "10"``, ``"total":
  "59.90"``, read as ``str`` / ``Decimal`` and never through float); lists double-wrapped
  (``{"products": {"product": [...]}}``), and with no results the wrapper may be ``""``, ``[]``,
  ``{"product": []}`` or missing; unset dates ``0000-00-00`` (``00:00:00``) become ``None``;
  timestamps are the WHMCS server's local time (``timezone``, São Paulo by default) and come
  back aware; names and messages are HTML-unescaped and CRLF becomes LF.
* Lists are paged with ``limitstart`` / ``limitnum`` until ``totalresults`` is reached.

Finding a client by CPF/CNPJ (reference §2.6): WHMCS cannot search a custom field. With
``lookup_action`` set (e.g. ``"GetClientByDocument"``, a custom API command installed on the
WHMCS side, called with ``document=<normalized>`` and answering ``clientid``) one call finds the
candidate. Without it the adapter pages ``GetClients`` (every client, cheap) and reads
``GetClientsDetails`` one by one (4 at a time), Active clients first, then by id, until one
matches: N+1 calls, fine for a small base, the custom command is the production choice. In both
cases the match is decided here, on ``GetClientsDetails``: the custom field whose ``id`` (or
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
which may not point at ``viewinvoice``.

Services: ``reseller`` is true when the product id is in ``reseller_product_ids``, when a
``type`` field says ``reselleraccount``, or when the product or group name contains "revenda" or
"reseller". ``mailboxes`` stay empty: they come from WHM.

Errors: ``result: error`` → :class:`WhmcsError` (a ``PermanentError``; "... Not Found" becomes
``None`` where the method returns an Optional); HTTP 403 → ``PermanentError`` (IP not allowed or
access denied, with WHMCS's message); 408, 425, 429, 5xx, timeouts and transport failures →
``TransientError``; other 4xx and non-JSON answers → ``PermanentError``.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import httpx

from dresbach.features.client_area.hosting import (
    ClientAccount,
    Department,
    Domain,
    Invoice,
    InvoiceItem,
    Service,
    Ticket,
    TicketReply,
)
from dresbach.kernel.documents import Document, DocumentError, normalize_document, parse_document
from dresbach.kernel.errors import PermanentError, TransientError

__all__ = ["WhmcsDirectory", "WhmcsError"]

JsonObject = dict[str, Any]
T = TypeVar("T")

PAGE_SIZE: Final = 100
MAX_PAGES: Final = 500
CONCURRENCY: Final = 4
_RETRYABLE: Final = frozenset({408, 425, 429})
_ID: Final = re.compile(r"[0-9]{1,18}")
_NOT_FOUND: Final = re.compile(r"\b(client|ticket|invoice|domain|user)( id)? not found", re.I)
_BAD_LOGIN: Final = re.compile(r"email or password|password invalid|invalid login", re.I)
_RESELLER_WORDS: Final = re.compile(r"\b(revenda|revendas|reseller|resellers)\b", re.I)
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


class WhmcsError(PermanentError):
    """WHMCS answered ``{"result": "error", "message": ...}``."""

    def __init__(self, action: str, message: str) -> None:
        super().__init__(f"WHMCS {action}: {message}")
        self.action = action
        self.message = message

    @property
    def not_found(self) -> bool:
        """The record asked for does not exist ("Client Not Found", "Ticket ID Not Found",
        "Invoice ID Not Found"). "Command Not Found" is not one: a missing action is a
        configuration error, never "nobody"."""
        return _NOT_FOUND.search(self.message) is not None


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
        base = url.rstrip("/")
        self._endpoint = base if base.endswith("api.php") else f"{base}/includes/api.php"
        self._auth = {"identifier": identifier, "secret": secret, "responsetype": "json"}
        if access_key:
            self._auth["accesskey"] = access_key
        self._document_field = document_field.strip()
        self._clock = clock
        self._pdf_template = _check_pdf_template(invoice_pdf_url_template)
        self._lookup_action = lookup_action
        self._reseller_ids = frozenset(reseller_product_ids)
        self._tz: tzinfo = ZoneInfo(timezone)
        self._client = httpx.AsyncClient(
            headers={"Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

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
                if client is not None and self._matches(client, wanted):
                    return self._account(client, wanted)
        return None

    async def check_password(self, client_id: str, email: str, password: str) -> bool:
        if not _ID.fullmatch(client_id) or not email.strip() or not password:
            return False
        try:
            answer = await self._call("ValidateLogin", email=email.strip(), password2=password)
        except WhmcsError as error:
            if _BAD_LOGIN.search(error.message):
                return False
            raise
        user_id = _text(answer.get("userid"))
        if not user_id:
            return False
        client = await self._details(client_id)
        if client is None or _text(client.get("status")) == "Closed":
            return False
        if "users" not in client:  # WHMCS 7: logins are per client
            return user_id == client_id
        return any(_text(user.get("id")) == user_id for user in _items(client, "users", "user"))

    # ---- services and domains ------------------------------------------------------------------

    async def contact(self, client_id: str) -> tuple[str, str] | None:
        """(e-mail, name) of a client, to send a new 2FA code."""
        client = await self._details(client_id)
        if client is None:
            return None
        name = _clean(client.get("fullname")) or _clean(client.get("companyname"))
        return _text(client.get("email")), name

    async def services(self, client_id: str) -> list[Service]:
        _require_id(client_id, "client")
        products = await self._collect(
            "GetClientsProducts", "products", "product", clientid=client_id
        )
        return [self._service(p) for p in products if _owned(p, "clientid", client_id)]

    async def domains(self, client_id: str) -> list[Domain]:
        _require_id(client_id, "client")
        records = await self._collect("GetClientsDomains", "domains", "domain", clientid=client_id)
        owned = [r for r in records if _owned(r, "userid", client_id)]
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def nameservers(record: JsonObject) -> tuple[str, ...]:
            async with semaphore:
                return await self._nameservers(record)

        found = await _gather(nameservers(r) for r in owned)
        return [
            Domain(
                domain_id=_text(r.get("id")),
                name=_text(r.get("domainname")).lower(),
                status=_text(r.get("status")),
                expires=_date(r.get("expirydate")),
                nameservers=ns,
            )
            for r, ns in zip(owned, found, strict=True)
        ]

    # ---- tickets -------------------------------------------------------------------------------

    async def tickets(self, client_id: str) -> list[Ticket]:
        _require_id(client_id, "client")
        found = await self._collect(
            "GetTickets",
            "tickets",
            "ticket",
            clientid=client_id,
            ignore_dept_assignments="true",
        )
        owned = [t for t in found if _text(t.get("userid")) == client_id]
        names: Mapping[str, str] = {}
        if any(not _text(t.get("deptname")) for t in owned):
            names = {d.department_id: d.name for d in await self.departments()}
        tickets = [self._ticket(t, names, replies=()) for t in owned]
        return sorted(tickets, key=_newest_first)

    async def ticket(self, client_id: str, ticket_id: str) -> Ticket | None:
        if not _ID.fullmatch(client_id) or not _ID.fullmatch(ticket_id):
            return None
        try:
            answer = await self._call("GetTicket", ticketid=ticket_id, repliessort="ASC")
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        if _text(answer.get("userid")) != client_id:
            return None
        names: Mapping[str, str] = {}
        if not _text(answer.get("deptname")):
            names = {d.department_id: d.name for d in await self.departments()}
        replies = [self._reply(r) for r in _items(answer, "replies", "reply")]
        replies.sort(key=lambda reply: reply.when or datetime.min.replace(tzinfo=self._tz))
        return self._ticket(answer, names, replies=tuple(replies))

    async def departments(self) -> list[Department]:
        answer = await self._call("GetSupportDepartments", ignore_dept_assignments="true")
        return [
            Department(department_id=_text(d.get("id")), name=_clean(d.get("name")))
            for d in _items(answer, "departments", "department")
        ]

    async def open_ticket(
        self, client_id: str, department_id: str, subject: str, message: str
    ) -> Ticket:
        _require_id(client_id, "client")
        subject, message = " ".join(subject.split()), message.strip()
        if not subject or not message:
            raise PermanentError("WHMCS OpenTicket: the subject and the message are required")
        names = {d.department_id: d.name for d in await self.departments()}
        if department_id not in names:
            raise PermanentError(f"WHMCS OpenTicket: unknown department {department_id!r}")
        answer = await self._call(
            "OpenTicket",
            clientid=client_id,
            deptid=department_id,
            subject=subject,
            message=message,
        )
        ticket_id = _text(answer.get("id"))
        if not ticket_id:
            raise PermanentError("WHMCS OpenTicket: the answer has no ticket id")
        return Ticket(
            ticket_id=ticket_id,
            number=_text(answer.get("tid")) or ticket_id,
            subject=subject,
            status="Open",
            department=names[department_id],
            updated=self._clock(),
        )

    async def reply_ticket(self, client_id: str, ticket_id: str, message: str) -> None:
        if not message.strip():
            raise PermanentError("WHMCS AddTicketReply: the message is empty")
        if await self.ticket(client_id, ticket_id) is None:
            raise PermanentError(f"WHMCS AddTicketReply: ticket {ticket_id!r} is not this client's")
        await self._call(
            "AddTicketReply", ticketid=ticket_id, clientid=client_id, message=message.strip()
        )

    # ---- invoices ------------------------------------------------------------------------------

    async def invoices(self, client_id: str) -> list[Invoice]:
        _require_id(client_id, "client")
        found = await self._collect(
            "GetInvoices", "invoices", "invoice", userid=client_id, orderby="date", order="desc"
        )
        invoices = [
            self._invoice(i, _text(i.get("id")), items=())
            for i in found
            if _text(i.get("userid")) == client_id and _text(i.get("status")) != "Draft"
        ]
        return sorted(invoices, key=_latest_first)

    async def invoice(self, client_id: str, invoice_id: str) -> Invoice | None:
        if not _ID.fullmatch(client_id) or not _ID.fullmatch(invoice_id):
            return None
        try:
            answer = await self._call("GetInvoice", invoiceid=invoice_id)
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        if _text(answer.get("userid")) != client_id or _text(answer.get("status")) == "Draft":
            return None
        items = tuple(
            InvoiceItem(description=_clean(i.get("description")), amount=_amount(i.get("amount")))
            for i in _items(answer, "items", "item")
        )
        return self._invoice(answer, _text(answer.get("invoiceid")) or invoice_id, items=items)

    # ---- the wire ------------------------------------------------------------------------------

    async def _call(self, action: str, **params: str | int) -> JsonObject:
        form = {**self._auth, "action": action}
        form.update({key: str(value) for key, value in params.items()})
        try:
            response = await self._client.post(self._endpoint, data=form)
        except httpx.TimeoutException as error:
            raise TransientError(f"WHMCS {action}: timeout ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise TransientError(f"WHMCS {action}: unreachable ({type(error).__name__})") from error
        return _answer(action, response)

    async def _collect(
        self, action: str, outer: str, inner: str, **params: str | int
    ) -> list[JsonObject]:
        found: list[JsonObject] = []
        for _ in range(MAX_PAGES):
            answer = await self._call(action, limitstart=len(found), limitnum=PAGE_SIZE, **params)
            page = _items(answer, outer, inner)
            found.extend(page)
            total = _int(answer.get("totalresults"))
            if not page or total is None or len(found) >= total:
                return found
        raise PermanentError(f"WHMCS {action}: more than {MAX_PAGES} pages")

    # ---- finding a client ----------------------------------------------------------------------

    async def _lookup(self, wanted: Document) -> list[str]:
        assert self._lookup_action is not None
        try:
            answer = await self._call(self._lookup_action, document=wanted.value)
        except WhmcsError as error:
            if error.not_found:
                return []
            raise
        client_id = _text(answer.get("clientid") or answer.get("client_id"))
        return [client_id] if _ID.fullmatch(client_id) else []

    async def _scan_order(self) -> list[str]:
        clients = await self._collect("GetClients", "clients", "client")
        ranked = sorted(
            (
                (_text(c.get("status")) != "Active", int(_text(c.get("id"))), _text(c.get("id")))
                for c in clients
                if _ID.fullmatch(_text(c.get("id"))) and _text(c.get("status")) != "Closed"
            ),
        )
        return [client_id for _, _, client_id in ranked]

    async def _details(self, client_id: str) -> JsonObject | None:
        try:
            answer = await self._call("GetClientsDetails", clientid=client_id)
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        client = answer.get("client")
        return client if isinstance(client, dict) else answer

    def _matches(self, client: JsonObject, wanted: Document) -> bool:
        if _text(client.get("status")) == "Closed":
            return False
        for raw in self._document_values(client):
            try:
                if normalize_document(raw) == wanted.value:
                    return True
            except DocumentError:
                continue
        return False

    def _document_values(self, client: JsonObject) -> list[str]:
        if self._document_field == "tax_id":
            return [_text(client.get("tax_id"))]
        return [
            _text(f.get("value"))
            for f in _items(client, "customfields", "customfield")
            if self._document_field in (_text(f.get("id")), _text(f.get("name")))
        ]

    def _account(self, client: JsonObject, wanted: Document) -> ClientAccount:
        client_id = _text(client.get("client_id") or client.get("id") or client.get("userid"))
        person = _clean(client.get("fullname")) or " ".join(
            part
            for part in (_clean(client.get("firstname")), _clean(client.get("lastname")))
            if part
        )
        company = _clean(client.get("companyname"))
        return ClientAccount(
            client_id=client_id,
            name=company if wanted.kind == "cnpj" and company else person or company,
            email=_text(client.get("email")),
            document_masked=wanted.masked,
        )

    # ---- records -------------------------------------------------------------------------------

    def _service(self, product: JsonObject) -> Service:
        return Service(
            service_id=_text(product.get("id")),
            product=_clean(product.get("translated_name"))
            or _clean(product.get("name"))
            or _clean(product.get("groupname")),
            domain=_text(product.get("domain")).lower(),
            status=_text(product.get("status")),
            next_due=_date(product.get("nextduedate")),
            username=_text(product.get("username")) or None,
            reseller=self._is_reseller(product),
        )

    def _is_reseller(self, product: JsonObject) -> bool:
        if _text(product.get("pid")) in self._reseller_ids:
            return True
        if _text(product.get("type")).lower() == "reselleraccount":
            return True
        names = (product.get(key) for key in ("name", "translated_name", "groupname"))
        return any(_RESELLER_WORDS.search(_clean(name)) for name in names)

    async def _nameservers(self, record: JsonObject) -> tuple[str, ...]:
        if _text(record.get("status")) in _NO_REGISTRAR or not _text(record.get("id")):
            return ()
        try:
            answer = await self._call("DomainGetNameservers", domainid=_text(record.get("id")))
        except (PermanentError, TransientError):
            return ()  # the registrar is down or unsupported: the list still shows, without NS
        found = (_text(answer.get(f"ns{n}")).lower().rstrip(".") for n in range(1, 6))
        return tuple(ns for ns in found if ns)

    def _ticket(
        self, raw: JsonObject, names: Mapping[str, str], *, replies: tuple[TicketReply, ...]
    ) -> Ticket:
        ticket_id = _text(raw.get("ticketid") or raw.get("id"))
        department = _clean(raw.get("deptname")) or names.get(_text(raw.get("deptid")), "")
        return Ticket(
            ticket_id=ticket_id,
            number=_text(raw.get("tid")) or ticket_id,
            subject=_clean(raw.get("subject")),
            status=_text(raw.get("status")),
            department=department,
            updated=self._datetime(raw.get("lastreply")) or self._datetime(raw.get("date")),
            replies=replies,
        )

    def _reply(self, raw: JsonObject) -> TicketReply:
        author = (
            _clean(raw.get("admin")) or _clean(raw.get("requestor_name")) or _clean(raw.get("name"))
        )
        message = _clean(raw.get("message")).replace("\r\n", "\n").replace("\r", "\n")
        return TicketReply(author=author, when=self._datetime(raw.get("date")), message=message)

    def _invoice(
        self, raw: JsonObject, invoice_id: str, *, items: tuple[InvoiceItem, ...]
    ) -> Invoice:
        return Invoice(
            invoice_id=invoice_id,
            number=_text(raw.get("invoicenum")) or invoice_id,
            issued=_date(raw.get("date")),
            due=_date(raw.get("duedate")),
            total=_amount(raw.get("total")),
            status=_text(raw.get("status")),
            items=items,
            pdf_url=self._pdf_template.replace("{invoice_id}", invoice_id)
            if self._pdf_template
            else None,
        )

    def _datetime(self, value: object) -> datetime | None:
        text = _text(value)
        if not text or text.startswith("0000-00-00"):
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=self._tz)


# ---- helpers -----------------------------------------------------------------------------------


def _check_pdf_template(template: str | None) -> str | None:
    if template is None:
        return None
    if "{invoice_id}" not in template or not template.startswith(("https://", "http://")):
        raise ValueError("invoice_pdf_url_template: an http(s) URL with {invoice_id}")
    if "viewinvoice" in template.lower():
        raise ValueError("invoice_pdf_url_template: the invoice page is a payment page, not a PDF")
    return template


def _answer(action: str, response: httpx.Response) -> JsonObject:
    status = response.status_code
    body = _decode(response.content)
    message = _text(body.get("message")) if body is not None else ""
    if status == 403:
        reason = "IP not allowed" if message.startswith("Invalid IP") else "access denied"
        detail = f": {message}" if message else ""
        raise PermanentError(f"WHMCS {action}: {reason} (HTTP 403{detail})", code=403)
    if status >= 500 or status in _RETRYABLE:
        raise TransientError(f"WHMCS {action}: HTTP {status}", code=status)
    if not response.is_success:
        raise PermanentError(f"WHMCS {action}: HTTP {status} {message}".rstrip(), code=status)
    if body is None:
        raise PermanentError(f"WHMCS {action}: the answer is not a JSON object")
    result = body.get("result")
    if result == "error":
        raise WhmcsError(action, message or "unknown error")
    if result != "success":
        raise PermanentError(f"WHMCS {action}: unexpected result {result!r}")
    return body


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def _decode(content: bytes) -> JsonObject | None:
    """The JSON object in ``content`` (fractions as ``Decimal``), or ``None``."""
    try:
        decoded = json.loads(content, parse_float=Decimal, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded if isinstance(decoded, dict) else None


async def _gather(coroutines: Iterable[Awaitable[T]]) -> list[T]:
    """All results, or the first error once every coroutine has finished."""
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [result for result in results if not isinstance(result, BaseException)]


def _items(container: Mapping[str, Any], outer: str, inner: str) -> list[JsonObject]:
    """``container[outer][inner]`` as a list of objects; ``""``, ``[]``, missing → ``[]``."""
    wrapper = container.get(outer)
    found = wrapper.get(inner) if isinstance(wrapper, dict) else wrapper
    if isinstance(found, dict):
        found = [found]
    if not isinstance(found, list):
        return []
    return [entry for entry in found if isinstance(entry, dict)]


def _text(value: object) -> str:
    """A WHMCS scalar as text: ``"10"`` and ``10`` are both ``"10"``; ``None`` is ``""``."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def _clean(value: object) -> str:
    return html.unescape(_text(value))


def _int(value: object) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() else None


def _require_id(value: str, what: str) -> None:
    if not _ID.fullmatch(value):
        raise PermanentError(f"WHMCS: invalid {what} id {value!r}")


def _owned(record: JsonObject, key: str, client_id: str) -> bool:
    owner = _text(record.get(key))
    return not owner or owner == client_id


def _date(value: object) -> date | None:
    text = _text(value)
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _amount(value: object) -> Decimal:
    text = _text(value)
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise PermanentError(f"WHMCS: not an amount: {value!r}") from error
    if not amount.is_finite():
        raise PermanentError(f"WHMCS: not an amount: {value!r}")
    return amount


def _newest_first(ticket: Ticket) -> tuple[bool, float, int]:
    when = ticket.updated.timestamp() if ticket.updated else 0.0
    return (ticket.updated is None, -when, -_int_or_zero(ticket.ticket_id))


def _latest_first(invoice: Invoice) -> tuple[bool, int, int]:
    issued = invoice.issued.toordinal() if invoice.issued else 0
    return (invoice.issued is None, -issued, -_int_or_zero(invoice.invoice_id))


def _int_or_zero(text: str) -> int:
    return int(text) if text.isdigit() else 0
