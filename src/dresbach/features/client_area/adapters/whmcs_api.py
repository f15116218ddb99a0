"""The WHMCS External API: the wire (every call is ``POST {url}/includes/api.php``, see
`whmcs`), its errors, and its answers read into the Área do Cliente's types.

WHMCS quirks, read defensively everywhere: numbers as strings (``"id": "10"``, ``"total":
"59.90"``, read as ``str`` / ``Decimal`` and never through float); lists double-wrapped
(``{"products": {"product": [...]}}``), and with no results the wrapper may be ``""``, ``[]``,
``{"product": []}`` or missing; unset dates ``0000-00-00`` (``00:00:00``) become ``None``;
timestamps are the WHMCS server's local time (``timezone``, São Paulo by default) and come back
aware; names and messages are HTML-unescaped and CRLF becomes LF.

Services: ``reseller`` is true when the product id is in ``reseller_product_ids``, when a
``type`` field says ``reselleraccount``, or when the product or group name contains "revenda" or
"reseller". ``mailboxes`` stay empty: they come from WHM.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NoReturn

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
from dresbach.kernel.documents import Document, DocumentError, normalize_document
from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.ports import Attachment

JsonObject = dict[str, Any]

_RETRYABLE: Final = frozenset({408, 425, 429})


_NOT_FOUND: Final = re.compile(r"\b(client|ticket|invoice|domain|user)( id)? not found", re.I)


_RESELLER_WORDS: Final = re.compile(r"\b(revenda|revendas|reseller|resellers)\b", re.I)


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


PAGE_SIZE: Final = 100
MAX_PAGES: Final = 500


class WhmcsApi:
    """The WHMCS External API over httpx: one form-encoded POST per action, lists paged."""

    def __init__(
        self,
        *,
        url: str,
        identifier: str,
        secret: str,
        access_key: str | None,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        base = url.rstrip("/")
        self._endpoint = base if base.endswith("api.php") else f"{base}/includes/api.php"
        self._auth = {"identifier": identifier, "secret": secret, "responsetype": "json"}
        if access_key:
            self._auth["accesskey"] = access_key
        self._client = httpx.AsyncClient(
            headers={"Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(self, action: str, **params: str | int) -> JsonObject:
        form = {**self._auth, "action": action}
        form.update({key: str(value) for key, value in params.items()})
        try:
            response = await self._client.post(self._endpoint, data=form)
        except httpx.TimeoutException as error:
            raise TransientError(f"WHMCS {action}: timeout ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise TransientError(f"WHMCS {action}: unreachable ({type(error).__name__})") from error
        return answer_of(action, response)

    async def collect(
        self, action: str, outer: str, inner: str, **params: str | int
    ) -> list[JsonObject]:
        found: list[JsonObject] = []
        for _ in range(MAX_PAGES):
            answer = await self.call(action, limitstart=len(found), limitnum=PAGE_SIZE, **params)
            page = items_of(answer, outer, inner)
            found.extend(page)
            total = as_int(answer.get("totalresults"))
            if not page or total is None or len(found) >= total:
                return found
        raise PermanentError(f"WHMCS {action}: more than {MAX_PAGES} pages")


def attached(files: Sequence[Attachment]) -> dict[str, str]:
    """`OpenTicket`/`AddTicketReply`'s `attachments`: base64 of a JSON array of `{name, data}`,
    each file's data in base64; no parameter when there is no file."""
    if not files:
        return {}
    listed = [{"name": f.filename, "data": base64.b64encode(f.data).decode()} for f in files]
    return {"attachments": base64.b64encode(json.dumps(listed).encode()).decode()}


# ---- the answer ----------------------------------------------------------------------------------


def answer_of(action: str, response: httpx.Response) -> JsonObject:
    status = response.status_code
    body = _decode(response.content)
    message = as_text(body.get("message")) if body is not None else ""
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


def items_of(container: Mapping[str, Any], outer: str, inner: str) -> list[JsonObject]:
    """``container[outer][inner]`` as a list of objects; ``""``, ``[]``, missing → ``[]``."""
    wrapper = container.get(outer)
    found = wrapper.get(inner) if isinstance(wrapper, dict) else wrapper
    if isinstance(found, dict):
        found = [found]
    if not isinstance(found, list):
        return []
    return [entry for entry in found if isinstance(entry, dict)]


def as_text(value: object) -> str:
    """A WHMCS scalar as text: ``"10"`` and ``10`` are both ``"10"``; ``None`` is ``""``."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def as_clean_text(value: object) -> str:
    return html.unescape(as_text(value))


def as_int(value: object) -> int | None:
    text = as_text(value)
    return int(text) if text.isdigit() else None


def as_date(value: object) -> date | None:
    text = as_text(value)
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def as_amount(value: object) -> Decimal:
    text = as_text(value)
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise PermanentError(f"WHMCS: not an amount: {value!r}") from error
    if not amount.is_finite():
        raise PermanentError(f"WHMCS: not an amount: {value!r}")
    return amount


# ---- a client ------------------------------------------------------------------------------------


def matches(client: JsonObject, wanted: Document, document_field: str) -> bool:
    if as_text(client.get("status")) == "Closed":
        return False
    for raw in _document_values(client, document_field):
        try:
            if normalize_document(raw) == wanted.value:
                return True
        except DocumentError:
            continue
    return False


def _document_values(client: JsonObject, document_field: str) -> list[str]:
    if document_field == "tax_id":
        return [as_text(client.get("tax_id"))]
    return [
        as_text(f.get("value"))
        for f in items_of(client, "customfields", "customfield")
        if document_field in (as_text(f.get("id")), as_text(f.get("name")))
    ]


def account_of(client: JsonObject, wanted: Document) -> ClientAccount:
    client_id = as_text(client.get("client_id") or client.get("id") or client.get("userid"))
    person = as_clean_text(client.get("fullname")) or " ".join(
        part
        for part in (as_clean_text(client.get("firstname")), as_clean_text(client.get("lastname")))
        if part
    )
    company = as_clean_text(client.get("companyname"))
    return ClientAccount(
        client_id=client_id,
        name=company if wanted.kind == "cnpj" and company else person or company,
        email=as_text(client.get("email")),
        document_masked=wanted.masked,
    )


def check_pdf_template(template: str | None) -> str | None:
    if template is None:
        return None
    if "{invoice_id}" not in template or not template.startswith(("https://", "http://")):
        raise ValueError("invoice_pdf_url_template: an http(s) URL with {invoice_id}")
    if "viewinvoice" in template.lower():
        raise ValueError("invoice_pdf_url_template: the invoice page is a payment page, not a PDF")
    return template


# ---- records -------------------------------------------------------------------------------------


def domain_of(record: JsonObject, nameservers: tuple[str, ...]) -> Domain:
    return Domain(
        domain_id=as_text(record.get("id")),
        name=as_text(record.get("domainname")).lower(),
        status=as_text(record.get("status")),
        expires=as_date(record.get("expirydate")),
        nameservers=nameservers,
    )


def department_of(raw: JsonObject) -> Department:
    return Department(department_id=as_text(raw.get("id")), name=as_clean_text(raw.get("name")))


def invoice_item_of(raw: JsonObject) -> InvoiceItem:
    return InvoiceItem(
        description=as_clean_text(raw.get("description")), amount=as_amount(raw.get("amount"))
    )


def service_of(product: JsonObject, reseller_ids: frozenset[str]) -> Service:
    return Service(
        service_id=as_text(product.get("id")),
        product=as_clean_text(product.get("translated_name"))
        or as_clean_text(product.get("name"))
        or as_clean_text(product.get("groupname")),
        domain=as_text(product.get("domain")).lower(),
        status=as_text(product.get("status")),
        next_due=as_date(product.get("nextduedate")),
        username=as_text(product.get("username")) or None,
        reseller=_is_reseller(product, reseller_ids),
        suspension_reason=as_clean_text(product.get("suspensionreason")),
        server_ip=as_text(product.get("dedicatedip")) or as_text(product.get("serverip")) or None,
        server_id=_server_id(product.get("serverid")),
        server_hostname=as_text(product.get("serverhostname")).lower() or None,
    )


def _server_id(value: object) -> str | None:
    """WHMCS writes ``"0"`` (or nothing) for a product on no server."""
    text = as_text(value)
    return text if text and text != "0" else None


def _is_reseller(product: JsonObject, reseller_ids: frozenset[str]) -> bool:
    if as_text(product.get("pid")) in reseller_ids:
        return True
    if as_text(product.get("type")).lower() == "reselleraccount":
        return True
    names = (product.get(key) for key in ("name", "translated_name", "groupname"))
    return any(_RESELLER_WORDS.search(as_clean_text(name)) for name in names)


def ticket_of(
    raw: JsonObject, names: Mapping[str, str], tz: tzinfo, *, replies: tuple[TicketReply, ...]
) -> Ticket:
    ticket_id = as_text(raw.get("ticketid") or raw.get("id"))
    department = as_clean_text(raw.get("deptname")) or names.get(as_text(raw.get("deptid")), "")
    return Ticket(
        ticket_id=ticket_id,
        number=as_text(raw.get("tid")) or ticket_id,
        subject=as_clean_text(raw.get("subject")),
        status=as_text(raw.get("status")),
        department=department,
        updated=as_moment(raw.get("lastreply"), tz) or as_moment(raw.get("date"), tz),
        replies=replies,
    )


def reply_of(raw: JsonObject, tz: tzinfo) -> TicketReply:
    author = (
        as_clean_text(raw.get("admin"))
        or as_clean_text(raw.get("requestor_name"))
        or as_clean_text(raw.get("name"))
    )
    message = as_clean_text(raw.get("message")).replace("\r\n", "\n").replace("\r", "\n")
    return TicketReply(author=author, when=as_moment(raw.get("date"), tz), message=message)


def invoice_of(
    raw: JsonObject, invoice_id: str, pdf_template: str | None, *, items: tuple[InvoiceItem, ...]
) -> Invoice:
    return Invoice(
        invoice_id=invoice_id,
        number=as_text(raw.get("invoicenum")) or invoice_id,
        issued=as_date(raw.get("date")),
        due=as_date(raw.get("duedate")),
        total=as_amount(raw.get("total")),
        status=as_text(raw.get("status")),
        items=items,
        pdf_url=pdf_template.replace("{invoice_id}", invoice_id) if pdf_template else None,
    )


def as_moment(value: object, tz: tzinfo) -> datetime | None:
    text = as_text(value)
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def newest_first(ticket: Ticket) -> tuple[bool, float, int]:
    when = ticket.updated.timestamp() if ticket.updated else 0.0
    return (ticket.updated is None, -when, -_int_or_zero(ticket.ticket_id))


def latest_first(invoice: Invoice) -> tuple[bool, int, int]:
    issued = invoice.issued.toordinal() if invoice.issued else 0
    return (invoice.issued is None, -issued, -_int_or_zero(invoice.invoice_id))


def _int_or_zero(text: str) -> int:
    return int(text) if text.isdigit() else 0
