"""A faithful fake of the WHMCS External API (``POST /includes/api.php``, form-encoded).

It behaves as the reference (§2) describes, quirks included:

* An IP allowlist (``allowed_ips``; ``None`` allows all): any other caller gets HTTP 403 with
  ``{"result": "error", "message": "Invalid IP <ip>"}``, unless it sends the right
  ``accesskey``. Then ``identifier`` / ``secret`` (or ``username`` / ``password``) are checked:
  ``Authentication Failed`` comes with HTTP 200, like every other ``result: error``.
  ``responsetype`` must be ``json``.
* Numbers as strings in most lists (``"id": "10"``, ``"total": "59.90"``) and as ints in others
  (``GetClients``, ``GetInvoices``), as in WHMCS's own samples; lists double-wrapped
  (``{"products": {"product": [...]}}``); with no results the wrapper is ``""``
  (products), missing (domains), ``{"ticket": []}`` (tickets) or ``[]`` (invoices); unset dates
  ``0000-00-00`` / ``0000-00-00 00:00:00``; times in the server's local time (UTC-3); paging with
  ``limitstart`` / ``limitnum`` (``max_page_size`` caps it, to exercise paging).
* WHMCS 8 users (``users_api=True``): ``ValidateLogin`` answers a *user* id, and
  ``GetClientsDetails`` lists the client's ``users.user[]``. With ``users_api=False`` (WHMCS 7) it
  answers the client id and there is no ``users``.
* The CPF/CNPJ lives in client custom field ``7``, written with punctuation (and lower-case
  letters for the alphanumeric CNPJ); the custom command ``GetClientByDocument`` (reference §2.6)
  finds it by the normalized value.
* Actions: GetClients, GetClientsDetails, ValidateLogin, GetClientsProducts, GetClientsDomains,
  DomainGetNameservers, DomainUpdateNameservers, DomainGetLockingStatus,
  DomainUpdateLockingStatus, DomainRequestEPP (the registrar's refusals: a domain not active,
  Registro.br without lock nor EPP, a locked domain's EPP), GetTickets, GetTicket, OpenTicket,
  AddTicketReply, GetSupportDepartments, GetInvoices, GetInvoice, GetClientByDocument. Without
  ``clientid``, GetClientsProducts, GetClientsDomains and GetTickets list every client's
  records, as WHMCS does (a poll reads them all at once); a suspended product carries its
  ``suspensionreason`` (``Overdue on Payment`` when WHMCS suspended it automatically). Internal
  ticket notes are in ``GetTicket``'s ``notes``, as in WHMCS; invoices carry no URL of any kind.
* ``OpenTicket`` and ``AddTicketReply`` take ``attachments``: base64 of a JSON array of
  ``{name, data}`` with each file's data in base64 (WHMCS's API reference); anything else there
  (not base64, not that JSON, a file without a name or whose data is not base64) is an error.
  The files are kept in ``files[(ticket id, reply id)]`` and listed on the reply as WHMCS
  lists them (``attachment``: ``"<random>_<name>"`` joined by ``|``, ``attachments``:
  ``[{filename, index}]``). WHMCS also filters by its "Allowed File Attachment Types" (by
  default .jpg, .gif, .jpeg, .png, .txt, .pdf): not enforced here [verify what the API does
  with another extension].

Test helpers: ``fail_next(*statuses)`` (the next calls answer those HTTP statuses with an HTML
page; ``fail_next_for(action, ...)`` only for one action), ``delay`` / ``delays[action]``
(seconds before answering), ``max_page_size``, ``calls`` (action, parameters without
credentials, status), ``calls_of(action)``, ``add_client``, ``reset()``. :class:`FakeWhmcs`
serves it over plain HTTP on 127.0.0.1 from a background thread.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final
from urllib.parse import parse_qsl

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from dresbach.kernel.documents import DocumentError, normalize_document
from tests.fakes.serving import BackgroundServer

__all__ = [
    "DEFAULT_IDENTIFIER",
    "DEFAULT_SECRET",
    "DOCUMENT_FIELD_ID",
    "PASSWORDS",
    "FakeWhmcs",
    "WhmcsState",
    "build_app",
]

JsonObject = dict[str, Any]
Params = dict[str, str]

DEFAULT_IDENTIFIER: Final = "fake-whmcs-identifier"
DEFAULT_SECRET: Final = "fake-whmcs-secret"
DOCUMENT_FIELD_ID: Final = "7"
PHONE_FIELD_ID: Final = "3"
LOCAL_TIME: Final = timezone(timedelta(hours=-3))
NO_DATE: Final = "0000-00-00"
NO_DATETIME: Final = "0000-00-00 00:00:00"
PASSWORDS: Final = {  # the seeded users' passwords, for tests
    "ana@anasouza.com.br": "Ana#2026",
    "carlos@techsolutions.com.br": "Carlos!Tech",
    "financeiro@techsolutions.com.br": "Fin@nceiro1",
    "maria@inovadigital.com.br": "Inova*123",
    "joao@exemplo.com.br": "Joao-123",
    "bia@exemplo.com.br": "Bia-2026",
    "rafael@exemplo.com.br": "Rafa-2026",
}
_HIDDEN_PARAMS: Final = frozenset(
    {"identifier", "secret", "username", "password", "password2", "accesskey", "responsetype"}
)


class _Fail(Exception):
    """A ``result: error`` answer with this message."""


class WhmcsState:
    """The fake's configuration and its thread-safe data, seeded with a few Brazilian clients
    (see :func:`seed`)."""

    def __init__(
        self,
        *,
        identifier: str = DEFAULT_IDENTIFIER,
        secret: str = DEFAULT_SECRET,
        allowed_ips: Iterable[str] | None = ("127.0.0.1",),
        access_key: str | None = None,
        users_api: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        seeded: bool = True,
    ) -> None:
        self._lock = threading.RLock()
        self._initial = (identifier, secret, allowed_ips, access_key, users_api, seeded)
        self.clock = clock
        self.generation = 0
        """Bumped by ``reset``: a slow request started before it leaves no trace."""
        self.reset()

    def reset(self) -> None:
        """Back to the configuration and data given at construction (the clock is kept)."""
        identifier, secret, allowed_ips, access_key, users_api, seeded = self._initial
        with self._lock:
            self.generation += 1
            self.identifier = identifier
            self.secret = secret
            self.allowed_ips: list[str] | None = (
                list(allowed_ips) if allowed_ips is not None else None
            )
            self.access_key = access_key
            self.users_api = users_api
            self.delay = 0.0
            self.delays: dict[str, float] = {}
            """Extra seconds before answering one action (key: the action, any case)."""
            self.max_page_size: int | None = None
            self.clients: dict[int, JsonObject] = {}
            self.users: dict[int, JsonObject] = {}
            self.products: dict[int, JsonObject] = {}
            self.domains: dict[int, JsonObject] = {}
            self.epp_requests: list[str] = []
            """The domains whose EPP code a registrar was asked for."""
            self.tickets: dict[int, JsonObject] = {}
            self.files: dict[tuple[int, int], list[tuple[str, bytes]]] = {}
            self.departments: dict[int, str] = {}
            self.invoices: dict[int, JsonObject] = {}
            self.calls: list[tuple[str, Params, int]] = []
            """``(action, parameters without credentials, HTTP status)`` of every call."""
            self._fail_next: list[int] = []
            self._fail_action: dict[str, list[int]] = {}
            self._ticket_ids = itertools.count(1000)
            if seeded:
                seed(self)

    # ---- test helpers --------------------------------------------------------------------------

    def fail_next(self, *statuses: int) -> None:
        """The next calls answer these HTTP statuses (e.g. 500, 503), one each, in order."""
        with self._lock:
            self._fail_next.extend(statuses)

    def fail_next_for(self, action: str, *statuses: int) -> None:
        """The next calls of ``action`` (any case) answer these HTTP statuses, one each."""
        with self._lock:
            self._fail_action.setdefault(action.lower(), []).extend(statuses)

    def add_client(
        self,
        client_id: int,
        *,
        firstname: str,
        lastname: str,
        email: str,
        document: str = "",
        companyname: str = "",
        status: str = "Active",
        password: str | None = None,
        user_id: int | None = None,
        phone: str = "11987654321",
    ) -> None:
        """A client (and, with a password, its owner user, id ``user_id`` or ``client_id``)."""
        with self._lock:
            self.clients[client_id] = {
                "id": client_id,
                "firstname": firstname,
                "lastname": lastname,
                "companyname": companyname,
                "email": email,
                "status": status,
                "datecreated": "2020-01-15",
                "phonenumber": phone,
                "document": document,
            }
            if password is not None:
                uid = user_id if user_id is not None else client_id
                self.users[uid] = {
                    "id": uid,
                    "name": f"{firstname} {lastname}",
                    "email": email,
                    "password": password,
                    "clients": [client_id],
                    "owner": True,
                }

    def calls_of(self, action: str) -> list[Params]:
        with self._lock:
            return [params for name, params, _ in self.calls if name.lower() == action.lower()]

    # ---- the API -------------------------------------------------------------------------------

    def answer(self, params: Params, client_ip: str) -> tuple[int, JsonObject | str]:
        """The HTTP status and body for one call."""
        action = params.get("action", "")
        shown = {k: v for k, v in params.items() if k not in _HIDDEN_PARAMS | {"action"}}
        status, body = self._answer(action, params, client_ip)
        with self._lock:
            self.calls.append((action, shown, status))
        return status, body

    def delay_for(self, action: str) -> float:
        return self.delay + self.delays.get(action.lower(), 0.0)

    def _answer(self, action: str, params: Params, client_ip: str) -> tuple[int, JsonObject | str]:
        with self._lock:
            injected = self._fail_next.pop(0) if self._fail_next else None
            queued = self._fail_action.get(action.lower())
            if injected is None and queued:
                injected = queued.pop(0)
        if injected is not None:
            return injected, f"<html><body><h1>{injected}</h1>nginx</body></html>"
        bypass = self.access_key is not None and secrets.compare_digest(
            params.get("accesskey", "").encode(), self.access_key.encode()
        )
        if self.allowed_ips is not None and client_ip not in self.allowed_ips and not bypass:
            return 403, {"result": "error", "message": f"Invalid IP {client_ip}"}
        identifier = params.get("identifier", params.get("username", ""))
        secret = params.get("secret", params.get("password", ""))
        if not (
            secrets.compare_digest(identifier.encode(), self.identifier.encode())
            and secrets.compare_digest(secret.encode(), self.secret.encode())
        ):
            return 200, {"result": "error", "message": "Authentication Failed"}
        if params.get("responsetype") != "json":
            return 200, "result=error;message=this fake speaks responsetype=json only;"
        handler = _ACTIONS.get(action.lower())
        if handler is None:
            return 200, {"result": "error", "message": "Command Not Found"}
        try:
            with self._lock:
                body = handler(self, params)
        except _Fail as error:
            return 200, {"result": "error", "message": str(error)}
        return 200, {"result": "success", **body}

    # ---- shared pieces -------------------------------------------------------------------------

    def _page(self, rows: list[JsonObject], params: Params) -> tuple[int, list[JsonObject]]:
        start = _int(params.get("limitstart"), 0)
        size = _int(params.get("limitnum"), 25)
        if self.max_page_size is not None:
            size = min(size, self.max_page_size)
        return start, rows[start : start + size]

    def _now(self) -> str:
        return self.clock().astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M:%S")

    def _client(self, params: Params, key: str = "clientid") -> JsonObject | None:
        raw = params.get(key, "")
        return self.clients.get(int(raw)) if raw.isdigit() else None

    def _owned(self, params: Params, owner: int) -> bool:
        """Whether a record of client `owner` is listed: every client's without ``clientid``
        (as WHMCS lists them all), only that client's with it."""
        if not params.get("clientid"):
            return True
        client = self._client(params)
        return client is not None and client["id"] == owner

    def _fullname(self, client: JsonObject) -> str:
        return f"{client['firstname']} {client['lastname']}".strip()

    def _by_document(self, value: str) -> JsonObject | None:
        ranked = sorted(self.clients.values(), key=lambda c: (c["status"] != "Active", c["id"]))
        for client in ranked:
            try:
                if client["document"] and normalize_document(client["document"]) == value:
                    return client
            except DocumentError:
                continue
        return None


# ---- actions -----------------------------------------------------------------------------------


def _get_clients(state: WhmcsState, params: Params) -> JsonObject:
    search = params.get("search", "").lower()
    status = params.get("status", "")
    rows = []
    for client in sorted(state.clients.values(), key=lambda c: c["id"]):
        fields = (
            client["email"],
            client["firstname"],
            client["lastname"],
            state._fullname(client),
            client["companyname"],
        )
        if search and not any(f.lower().startswith(search) for f in fields):
            continue
        if status and client["status"] != status:
            continue
        rows.append(
            {
                "id": client["id"],
                "firstname": client["firstname"],
                "lastname": client["lastname"],
                "companyname": client["companyname"],
                "email": client["email"],
                "datecreated": client["datecreated"],
                "groupid": 0,
                "status": client["status"],
            }
        )
    start, page = state._page(rows, params)
    return {
        "totalresults": len(rows),
        "startnumber": start,
        "numreturned": len(page),
        "clients": {"client": page},
    }


def _get_clients_details(state: WhmcsState, params: Params) -> JsonObject:
    client = state._client(params)
    if client is None and params.get("email"):
        wanted = params["email"].lower()
        client = next((c for c in state.clients.values() if c["email"].lower() == wanted), None)
    if client is None:
        raise _Fail("Client Not Found")
    customfields = [
        {"id": int(PHONE_FIELD_ID), "value": client["phonenumber"]},
        {"id": int(DOCUMENT_FIELD_ID), "value": client["document"]},
    ]
    details: JsonObject = {
        "client_id": client["id"],
        "id": client["id"],
        "owner_user_id": _owner_user(state, client["id"]),
        "uuid": f"f08e{client['id']:04d}-0000-4000-8000-000000000000",
        "firstname": client["firstname"],
        "lastname": client["lastname"],
        "fullname": state._fullname(client),
        "companyname": client["companyname"],
        "email": client["email"],
        "phonenumber": client["phonenumber"],
        "phonecc": "55",
        "countrycode": "BR",
        "tax_id": "",
        "status": client["status"],
        "credit": "0.00",
        "currency_code": "BRL",
        "language": "portuguese-br",
        "allowSingleSignOn": 1,
        "email_verified": True,
        "customfields": customfields,
        **{f"customfields{n}": f["value"] for n, f in enumerate(customfields, start=1)},
    }
    if state.users_api:
        users = [u for u in state.users.values() if client["id"] in u["clients"]]
        details["users"] = {
            "user": [
                {"id": u["id"], "name": u["name"], "email": u["email"], "is_owner": u["owner"]}
                for u in users
            ]
        }
    # Deprecated top-level duplicates, still sent by WHMCS 8.
    return {
        "userid": client["id"],
        "firstname": client["firstname"],
        "email": client["email"],
        "client": details,
        "stats": {"numactivetickets": 0, "productsnumactive": 0},
    }


def _owner_user(state: WhmcsState, client_id: int) -> int:
    for user in state.users.values():
        if client_id in user["clients"] and user["owner"]:
            return int(user["id"])
    return 0


def _validate_login(state: WhmcsState, params: Params) -> JsonObject:
    email, password = params.get("email", "").lower(), params.get("password2", "")
    for user in state.users.values():
        if user["email"].lower() == email and secrets.compare_digest(
            user["password"].encode(), password.encode()
        ):
            user_id = user["id"] if state.users_api else user["clients"][0]
            return {
                "userid": user_id,
                "passwordhash": secrets.token_hex(20),
                "twoFactorEnabled": False,
            }
    raise _Fail("Email or Password Invalid")


def _get_clients_products(state: WhmcsState, params: Params) -> JsonObject:
    rows = [
        _render_product(p)
        for p in sorted(state.products.values(), key=lambda p: p["id"])
        if state._owned(params, p["clientid"])
    ]
    start, page = state._page(rows, params)
    return {
        "clientid": params.get("clientid", ""),
        "serviceid": None,
        "pid": None,
        "domain": None,
        "totalresults": len(rows),
        "startnumber": start,
        "numreturned": len(page),
        "products": {"product": page} if page else "",
    }


SERVERS: Final[dict[int, tuple[str, str, str]]] = {
    0: ("", "", ""),
    1: ("srv1", "203.0.113.10", "srv1.dresbach.com.br"),
    2: ("srv2", "203.0.113.50", "srv2.dresbach.com.br"),
}
"""WHMCS's servers: id → (name, IP, hostname); a product's ``serverid`` (1 unless it says; 0 is
none) picks one, as WHMCS answers it in ``GetClientsProducts``."""


def _render_product(product: JsonObject) -> JsonObject:
    return {
        "id": str(product["id"]),
        "clientid": str(product["clientid"]),
        "orderid": str(product["id"] + 7000),
        "pid": str(product["pid"]),
        "regdate": product.get("regdate", "2023-01-10"),
        "name": product["name"],
        "translated_name": product["name"],
        "groupname": product["groupname"],
        "domain": product["domain"],
        "dedicatedip": "",
        "serverid": str(product.get("serverid", 1)),
        "servername": SERVERS[product.get("serverid", 1)][0],
        "serverip": SERVERS[product.get("serverid", 1)][1],
        "serverhostname": SERVERS[product.get("serverid", 1)][2],
        "suspensionreason": product.get("suspensionreason", ""),
        "firstpaymentamount": product.get("amount", "0.00"),
        "recurringamount": product.get("amount", "0.00"),
        "paymentmethod": "mercadopago",
        "paymentmethodname": "Pix / Mercado Pago",
        "billingcycle": product.get("billingcycle", "Monthly"),
        "nextduedate": product["nextduedate"],
        "status": product["status"],
        "username": product["username"],
        "password": "hunter2-never-shown",
        "ns1": "",
        "ns2": "",
        "diskusage": "0",
        "disklimit": "0",
        "bwusage": "0",
        "bwlimit": "0",
        "lastupdate": NO_DATETIME,
        "qty": "1",
        "customfields": {"customfield": []},
        "configoptions": {"configoption": []},
    }


def _get_clients_domains(state: WhmcsState, params: Params) -> JsonObject:
    rows = [
        {
            "id": str(d["id"]),
            "userid": str(d["userid"]),
            "orderid": str(d["id"] + 8000),
            "regtype": "Register",
            "domainname": d["domainname"],
            "registrar": d.get("registrar", "registrobr"),
            "regperiod": "1",
            "firstpaymentamount": "40.00",
            "recurringamount": "40.00",
            "paymentmethod": "mercadopago",
            "paymentmethodname": "Pix / Mercado Pago",
            "regdate": d.get("regdate", "2022-03-10"),
            "expirydate": d["expirydate"],
            "nextduedate": d["expirydate"],
            "status": d["status"],
            "subscriptionid": "",
            "promoid": "0",
            "dnsmanagement": "0",
            "emailforwarding": "0",
            "idprotection": "0",
            "donotrenew": "0",
            "notes": "",
        }
        for d in sorted(state.domains.values(), key=lambda d: d["id"])
        if state._owned(params, d["userid"])
    ]
    start, page = state._page(rows, params)
    body: JsonObject = {
        "clientid": params.get("clientid", ""),
        "domainid": None,
        "totalresults": len(rows),
        "startnumber": start,
        "numreturned": len(page),
    }
    if page:
        body["domains"] = {"domain": page}
    return body


def _domain_get_nameservers(state: WhmcsState, params: Params) -> JsonObject:
    raw = params.get("domainid", "")
    domain = state.domains.get(int(raw)) if raw.isdigit() else None
    if domain is None:
        raise _Fail("Domain ID Not Found")
    if domain.get("registrar_error"):
        raise _Fail(str(domain["registrar_error"]))
    nameservers = list(domain.get("nameservers", []))
    return {f"ns{n}": ns for n, ns in enumerate(nameservers, start=1)}


_HOST: Final = re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_LOCKABLE: Final = frozenset({"Active"})
"""The registrar is asked only about an active domain; any other status is refused by WHMCS
before the registrar hears of it."""


def _registrar_domain(state: WhmcsState, params: Params, function: str) -> JsonObject:
    """The domain of ``domainid`` (or ``domain``) that a registrar function acts on, refused as
    WHMCS refuses it: unknown id, a domain not active, a registrar down or without the function
    (Registro.br has no registrar lock nor EPP code through WHMCS)."""
    raw = params.get("domainid", "")
    domain = state.domains.get(int(raw)) if raw.isdigit() else None
    if domain is None and params.get("domain"):
        wanted = params["domain"].strip().lower()
        domain = next((d for d in state.domains.values() if d["domainname"] == wanted), None)
    if domain is None:
        raise _Fail("Domain ID Not Found")
    if domain["status"] not in _LOCKABLE:
        raise _Fail(f"Domain status is {domain['status']}: registrar functions are unavailable")
    if domain.get("registrar_error"):
        raise _Fail(str(domain["registrar_error"]))
    registrar = domain.get("registrar", "registrobr")
    if registrar == "registrobr" and function in ("lock", "epp"):
        raise _Fail("Registrar Function Not Supported")
    return domain


def _domain_update_nameservers(state: WhmcsState, params: Params) -> JsonObject:
    domain = _registrar_domain(state, params, "nameservers")
    given = [params.get(f"ns{n}", "").strip().lower().rstrip(".") for n in range(1, 6)]
    if not given[0] or not given[1]:
        raise _Fail("ns1 and ns2 are required")
    if any(ns and not _HOST.fullmatch(ns) for ns in given):
        raise _Fail("Registrar Error: invalid nameserver")
    domain["nameservers"] = [ns for ns in given if ns]
    return {}


def _domain_get_locking_status(state: WhmcsState, params: Params) -> JsonObject:
    domain = _registrar_domain(state, params, "lock")
    return {"lockstatus": "locked" if domain.get("locked", True) else "unlocked"}


def _domain_update_locking_status(state: WhmcsState, params: Params) -> JsonObject:
    domain = _registrar_domain(state, params, "lock")
    domain["locked"] = params.get("lockstatus", "").strip().lower() in ("1", "true", "on")
    return {}


def _domain_request_epp(state: WhmcsState, params: Params) -> JsonObject:
    """The registrar answers the code (eNom does) or e-mails it to the registrant itself
    (``epp_by_email``): then WHMCS answers no ``eppcode``."""
    domain = _registrar_domain(state, params, "epp")
    if domain.get("locked", True):
        raise _Fail("Registrar Error: the domain is locked; unlock it before a transfer")
    state.epp_requests.append(domain["domainname"])
    if domain.get("epp_by_email"):
        return {}
    return {"eppcode": f"EPP-{domain['id']}-{secrets.token_hex(6)}"}


def _render_ticket(state: WhmcsState, ticket: JsonObject) -> JsonObject:
    client = state.clients.get(ticket["userid"])
    name = state._fullname(client) if client else ""
    email = client["email"] if client else ""
    return {
        "id": str(ticket["id"]),
        "tid": ticket["tid"],
        "deptid": str(ticket["deptid"]),
        "userid": str(ticket["userid"]),
        "contactid": "0",
        "name": name,
        "owner_name": name,
        "email": email,
        "requestor_name": name,
        "requestor_email": email,
        "requestor_type": "Owner",
        "cc": "",
        "c": ticket["c"],
        "date": ticket["date"],
        "subject": ticket["subject"],
        "status": ticket["status"],
        "priority": ticket.get("priority", "Medium"),
        "admin": "",
        "attachment": "",
        "attachments": [],
        "attachments_removed": False,
        "lastreply": ticket["lastreply"],
        "flag": "0",
        "service": "",
    }


def _get_tickets(state: WhmcsState, params: Params) -> JsonObject:
    status = params.get("status", "")
    rows = [
        _render_ticket(state, t)
        for t in sorted(state.tickets.values(), key=lambda t: t["lastreply"], reverse=True)
        if state._owned(params, t["userid"]) and status in ("", t["status"])
    ]
    start, page = state._page(rows, params)
    return {
        "totalresults": len(rows),
        "startnumber": start,
        "numreturned": len(page),
        "tickets": {"ticket": page},
    }


def _get_ticket(state: WhmcsState, params: Params) -> JsonObject:
    ticket = None
    if params.get("ticketid", "").isdigit():
        ticket = state.tickets.get(int(params["ticketid"]))
    elif params.get("ticketnum"):
        ticket = next((t for t in state.tickets.values() if t["tid"] == params["ticketnum"]), None)
    if ticket is None:
        raise _Fail("Ticket ID Not Found")
    rendered = _render_ticket(state, ticket)
    rendered.pop("id")
    replies = list(ticket["replies"])
    if params.get("repliessort", "ASC").upper() == "DESC":
        replies.reverse()
    return {
        "ticketid": ticket["id"],
        **rendered,
        "deptname": state.departments.get(ticket["deptid"], ""),
        "replies": {"reply": replies},
        "notes": {"note": list(ticket.get("notes", []))},
    }


def _attachments(params: Params) -> list[tuple[str, bytes]]:
    """``attachments``: base64 of a JSON array of ``{name, data}``, data in base64."""
    raw = params.get("attachments", "")
    if not raw:
        return []
    try:
        listed = orjson.loads(base64.b64decode(raw, validate=True))
        files = [(str(f["name"]), base64.b64decode(f["data"], validate=True)) for f in listed]
    except (ValueError, TypeError, KeyError) as error:  # binascii.Error is a ValueError
        raise _Fail(
            "Invalid attachments: base64 encoded JSON of [{name, data}] expected"
        ) from error
    if any(not name.strip() for name, _ in files):
        raise _Fail("Invalid attachments: a file without a name")
    return files


def _attach(
    state: WhmcsState, reply: JsonObject, ticket_id: int, files: list[tuple[str, bytes]]
) -> JsonObject:
    if files:
        state.files[(ticket_id, int(reply["replyid"]))] = files
        stored = [f"{secrets.randbelow(900_000) + 100_000}_{name}" for name, _ in files]
        reply["attachment"] = "|".join(stored)
        reply["attachments"] = [{"filename": n, "index": i} for i, (n, _) in enumerate(files)]
    return reply


def _open_ticket(state: WhmcsState, params: Params) -> JsonObject:
    client = state._client(params)
    if params.get("clientid") and client is None:
        raise _Fail("Client ID Not Found")
    raw_dept = params.get("deptid", "")
    if not raw_dept.isdigit() or int(raw_dept) not in state.departments:
        raise _Fail("Department ID not found")
    subject, message = params.get("subject", "").strip(), params.get("message", "").strip()
    if not subject:
        raise _Fail("Subject is required")
    if not message:
        raise _Fail("Message is required")
    if client is None:
        raise _Fail("A client ID or a name and email address is required")
    files = _attachments(params)
    ticket_id = next(state._ticket_ids)
    tid = f"{secrets.randbelow(900_000) + 100_000}"
    access = secrets.token_urlsafe(6)[:8]
    now = state._now()
    state.tickets[ticket_id] = {
        "id": ticket_id,
        "tid": tid,
        "c": access,
        "deptid": int(raw_dept),
        "userid": client["id"],
        "subject": subject,
        "status": "Open",
        "priority": params.get("priority", "Medium"),
        "date": now,
        "lastreply": now,
        "replies": [
            _attach(state, _client_reply(state, client, 0, now, message), ticket_id, files)
        ],
        "notes": [],
    }
    return {"id": str(ticket_id), "tid": tid, "c": access}


def _client_reply(
    state: WhmcsState, client: JsonObject, reply_id: int, when: str, message: str
) -> JsonObject:
    name = state._fullname(client)
    return {
        "replyid": str(reply_id),
        "userid": str(client["id"]),
        "contactid": "0",
        "name": name,
        "email": client["email"],
        "requestor_name": name,
        "requestor_email": client["email"],
        "requestor_type": "Owner",
        "date": when,
        "message": message,
        "attachment": "",
        "attachments": [],
        "attachments_removed": False,
        "admin": "",
        "rating": "0",
    }


def _add_ticket_reply(state: WhmcsState, params: Params) -> JsonObject:
    raw = params.get("ticketid", "")
    ticket = state.tickets.get(int(raw)) if raw.isdigit() else None
    if ticket is None:
        raise _Fail("Ticket ID Not Found")
    message = params.get("message", "").strip()
    if not message:
        raise _Fail("Message is required")
    files = _attachments(params)
    client = state._client(params) or state.clients[ticket["userid"]]
    now = state._now()
    reply_id = max((int(r["replyid"]) for r in ticket["replies"]), default=0) + 1
    reply = _client_reply(state, client, reply_id, now, message)
    ticket["replies"].append(_attach(state, reply, ticket["id"], files))
    ticket["status"] = "Customer-Reply"
    ticket["lastreply"] = now
    return {}


def _get_support_departments(state: WhmcsState, params: Params) -> JsonObject:
    rows = [
        {
            "id": str(dept_id),
            "name": name,
            "awaitingreply": "0",
            "opentickets": str(sum(1 for t in state.tickets.values() if t["deptid"] == dept_id)),
        }
        for dept_id, name in sorted(state.departments.items())
    ]
    return {"totalresults": len(rows), "departments": {"department": rows}}


def _render_invoice(state: WhmcsState, invoice: JsonObject) -> JsonObject:
    client = state.clients.get(invoice["userid"], {})
    return {
        "id": invoice["id"],
        "userid": invoice["userid"],
        "firstname": client.get("firstname", ""),
        "lastname": client.get("lastname", ""),
        "companyname": client.get("companyname", ""),
        "invoicenum": invoice["invoicenum"],
        "date": invoice["date"],
        "duedate": invoice["duedate"],
        "datepaid": invoice["datepaid"],
        "subtotal": invoice["total"],
        "credit": "0.00",
        "tax": "0.00",
        "tax2": "0.00",
        "total": invoice["total"],
        "taxrate": "0.000",
        "taxrate2": "0.000",
        "status": invoice["status"],
        "paymentmethod": "mercadopago",
        "paymethodid": None,
        "notes": "",
        "created_at": f"{invoice['date']} 08:00:00",
        "updated_at": f"{invoice['date']} 08:00:00",
        "currencycode": "BRL",
        "currencyprefix": "R$",
        "currencysuffix": "",
    }


def _get_invoices(state: WhmcsState, params: Params) -> JsonObject:
    raw_user = params.get("userid", "")
    status = params.get("status", "")
    today = state.clock().astimezone(LOCAL_TIME).date().isoformat()
    rows = []
    for invoice in state.invoices.values():
        if raw_user and str(invoice["userid"]) != raw_user:
            continue
        overdue = invoice["status"] == "Unpaid" and invoice["duedate"] < today
        if status and not (invoice["status"] == status or (status == "Overdue" and overdue)):
            continue
        rows.append(_render_invoice(state, invoice))
    order_by = params.get("orderby", "id")
    key = order_by if order_by in {"id", "date", "duedate", "status", "invoicenum"} else "id"
    rows.sort(key=lambda r: (str(r[key]), r["id"]), reverse=params.get("order") == "desc")
    start, page = state._page(rows, params)
    return {
        "totalresults": len(rows),
        "startnumber": start,
        "numreturned": len(page),
        "invoices": {"invoice": page} if page else [],
    }


def _get_invoice(state: WhmcsState, params: Params) -> JsonObject:
    raw = params.get("invoiceid", "")
    invoice = state.invoices.get(int(raw)) if raw.isdigit() else None
    if invoice is None:
        raise _Fail("Invoice ID Not Found")
    rendered = _render_invoice(state, invoice)
    return {
        "invoiceid": invoice["id"],
        "invoicenum": invoice["invoicenum"],
        "userid": invoice["userid"],
        "date": invoice["date"],
        "duedate": invoice["duedate"],
        "datepaid": invoice["datepaid"],
        "subtotal": rendered["subtotal"],
        "credit": "0.00",
        "tax": "0.00",
        "tax2": "0.00",
        "total": invoice["total"],
        "balance": "0.00" if invoice["status"] == "Paid" else invoice["total"],
        "status": invoice["status"],
        "paymentmethod": "mercadopago",
        "notes": "",
        "ccgateway": False,
        "items": {
            "item": [
                {
                    "id": n,
                    "type": "Hosting",
                    "relid": 0,
                    "description": item["description"],
                    "amount": item["amount"],
                    "taxed": 0,
                }
                for n, item in enumerate(invoice["items"], start=invoice["id"] * 10)
            ]
        },
        "transactions": "",
    }


def _get_client_by_document(state: WhmcsState, params: Params) -> JsonObject:
    """The custom API command of reference §2.6: the client with this normalized document."""
    try:
        value = normalize_document(params.get("document", ""))
    except DocumentError as error:
        raise _Fail("Invalid document") from error
    client = state._by_document(value) if value else None
    if client is None:
        raise _Fail("Client Not Found")
    return {"clientid": str(client["id"])}


_ACTIONS: Final[dict[str, Callable[[WhmcsState, Params], JsonObject]]] = {
    "getclients": _get_clients,
    "getclientsdetails": _get_clients_details,
    "validatelogin": _validate_login,
    "getclientsproducts": _get_clients_products,
    "getclientsdomains": _get_clients_domains,
    "domaingetnameservers": _domain_get_nameservers,
    "domainupdatenameservers": _domain_update_nameservers,
    "domaingetlockingstatus": _domain_get_locking_status,
    "domainupdatelockingstatus": _domain_update_locking_status,
    "domainrequestepp": _domain_request_epp,
    "gettickets": _get_tickets,
    "getticket": _get_ticket,
    "openticket": _open_ticket,
    "addticketreply": _add_ticket_reply,
    "getsupportdepartments": _get_support_departments,
    "getinvoices": _get_invoices,
    "getinvoice": _get_invoice,
    "getclientbydocument": _get_client_by_document,
}


def _int(raw: str | None, default: int) -> int:
    return int(raw) if raw is not None and raw.isdigit() else default


# ---- the seed ----------------------------------------------------------------------------------


def seed(state: WhmcsState) -> None:
    """Clients 1-7 with CPF, numeric CNPJ and alphanumeric CNPJ in custom field 7 (punctuated
    differently), their WHMCS 8 users and passwords, services (one reseller), domains with
    nameservers, tickets with replies and a note, departments and invoices with items."""
    add = state.add_client
    add(
        1,
        firstname="Ana Paula",
        lastname="Souza",
        email="ana@anasouza.com.br",
        document="529.982.247-25",
        password=PASSWORDS["ana@anasouza.com.br"],
        user_id=2,
    )
    add(
        2,
        firstname="Carlos",
        lastname="Lima",
        companyname="Tech Solutions Ltda",
        email="carlos@techsolutions.com.br",
        document="11.222.333/0001-81",
        password=PASSWORDS["carlos@techsolutions.com.br"],
        user_id=3,
    )
    add(
        3,
        firstname="Maria",
        lastname="Oliveira",
        companyname="Inova Digital S.A.",
        email="maria@inovadigital.com.br",
        document="12.abc.345/01de-35",
        password=PASSWORDS["maria@inovadigital.com.br"],
        user_id=1,
    )
    add(
        4,
        firstname="João",
        lastname="Pereira",
        email="joao@exemplo.com.br",
        document="111.444.777-35",
        status="Closed",
        password=PASSWORDS["joao@exemplo.com.br"],
        user_id=4,
    )
    add(
        5,
        firstname="Beatriz",
        lastname="Costa",
        email="bia@exemplo.com.br",
        status="Inactive",
        password=PASSWORDS["bia@exemplo.com.br"],
        user_id=6,
    )
    add(
        6,
        firstname="Rafael",
        lastname="Alves",
        email="rafael@exemplo.com.br",
        document="não informado",
        password=PASSWORDS["rafael@exemplo.com.br"],
        user_id=7,
    )
    # An old, inactive account of Ana with the same CPF, written without punctuation.
    add(
        7,
        firstname="Ana",
        lastname="Souza (conta antiga)",
        email="ana.antiga@exemplo.com.br",
        document="52998224725",
        status="Inactive",
    )
    state.users[2]["clients"].append(7)
    state.users[5] = {
        "id": 5,
        "name": "Financeiro Tech Solutions",
        "email": "financeiro@techsolutions.com.br",
        "password": PASSWORDS["financeiro@techsolutions.com.br"],
        "clients": [2],
        "owner": False,
    }

    products: tuple[JsonObject, ...] = (
        {
            "id": 10,
            "clientid": 1,
            "pid": 3,
            "name": "Hospedagem Plus",
            "groupname": "Hospedagem",
            "domain": "anasouza.com.br",
            "status": "Active",
            "nextduedate": "2026-12-20",
            "username": "anasouza",
            "amount": "59.90",
        },
        {
            "id": 11,
            "clientid": 1,
            "pid": 9,
            "name": "E-mail Profissional",
            "groupname": "E-mail",
            "domain": "anasouza.com.br",
            "status": "Cancelled",
            "nextduedate": NO_DATE,
            "username": "",
        },
        {
            "id": 20,
            "clientid": 2,
            "pid": 12,
            "name": "Revenda Cloud 50",
            "groupname": "Revenda de Hospedagem",
            "domain": "techsolutions.com.br",
            "status": "Active",
            "nextduedate": "2027-01-05",
            "username": "techsol",
            "amount": "189.90",
        },
        {
            "id": 21,
            "clientid": 2,
            "pid": 15,
            "name": "VPS Linux 4GB",
            "groupname": "Servidores",
            "domain": "vps.techsolutions.com.br",
            "status": "Suspended",
            "suspensionreason": "Overdue on Payment",
            "nextduedate": "2026-11-01",
            "username": "",
        },
        {
            "id": 22,
            "clientid": 2,
            "pid": 16,
            "name": "Plano Agência",
            "groupname": "Agências",
            "domain": "agencia.techsolutions.com.br",
            "status": "Active",
            "nextduedate": "2027-02-01",
            "username": "agencia",
            "billingcycle": "Annually",
        },
    )
    for product in products:
        state.products[product["id"]] = product

    domains: tuple[JsonObject, ...] = (
        {
            "id": 30,
            "userid": 1,
            "domainname": "anasouza.com.br",
            "status": "Active",
            "expirydate": "2027-03-10",
            "nameservers": ["ns1.dresbach.com.br", "ns2.dresbach.com.br"],
        },
        {
            "id": 31,
            "userid": 1,
            "domainname": "anasouza.net",
            "status": "Pending",
            "expirydate": NO_DATE,
            "registrar": "enom",
        },
        {
            "id": 40,
            "userid": 2,
            "domainname": "techsolutions.com.br",
            "status": "Active",
            "expirydate": "2026-08-15",
            "registrar_error": "Registro.br: connection timed out (EPP)",
        },
        {
            "id": 41,
            "userid": 2,
            "domainname": "TechSolutions.net",
            "status": "Grace",
            "expirydate": "2026-11-20",
            "registrar": "enom",
            "nameservers": ["NS1.EXTERNO.NET.", "ns2.externo.net", ""],
        },
    )
    for domain in domains:
        state.domains[domain["id"]] = domain

    state.departments.update({1: "Suporte Técnico", 2: "Financeiro", 3: "Comercial &amp; Vendas"})

    ana, carlos = state.clients[1], state.clients[2]
    state.tickets[100] = {
        "id": 100,
        "tid": "482913",
        "c": "KPqH7yG3",
        "deptid": 1,
        "userid": 1,
        "subject": "Site fora do ar",
        "status": "Answered",
        "priority": "High",
        "date": "2026-11-20 09:15:02",
        "lastreply": "2026-11-20 10:02:44",
        "replies": [
            _client_reply(
                state,
                ana,
                0,
                "2026-11-20 09:15:02",
                "Meu site não abre desde hoje cedo.\r\nPodem verificar?",
            ),
            {
                **_client_reply(
                    state,
                    ana,
                    7,
                    "2026-11-20 10:02:44",
                    "Olá, Ana!\r\nO serviço foi normalizado. Pode conferir?",
                ),
                "userid": "0",
                "name": "",
                "requestor_name": "",
                "requestor_type": "Operator",
                "admin": "Equipe Dresbach",
            },
        ],
        "notes": [
            {
                "noteid": "1",
                "admin": "Equipe Dresbach",
                "date": "2026-11-20 09:30:00",
                "message": "NOTA INTERNA: cliente VIP, checar backup de ontem",
            }
        ],
    }
    state.tickets[101] = {
        "id": 101,
        "tid": "771205",
        "c": "Zx81LmQa",
        "deptid": 2,
        "userid": 2,
        "subject": "Nota fiscal de novembro",
        "status": "Open",
        "priority": "Medium",
        "date": "2026-11-21 14:00:00",
        "lastreply": "2026-11-21 14:00:00",
        "replies": [
            _client_reply(
                state, carlos, 0, "2026-11-21 14:00:00", "Preciso da NF de novembro &amp; outubro."
            )
        ],
        "notes": [],
    }
    state.tickets[102] = {
        "id": 102,
        "tid": "330918",
        "c": "Qw12ErTy",
        "deptid": 1,
        "userid": 1,
        "subject": "Configurar e-mail no celular",
        "status": "Closed",
        "priority": "Low",
        "date": "2026-09-02 08:00:00",
        "lastreply": "2026-09-03 17:45:10",
        "replies": [
            _client_reply(
                state, ana, 0, "2026-09-02 08:00:00", "Como configuro o e-mail no iPhone?"
            )
        ],
        "notes": [],
    }

    invoices: tuple[JsonObject, ...] = (
        {
            "id": 500,
            "userid": 1,
            "invoicenum": "",
            "date": "2026-11-10",
            "duedate": "2026-12-10",
            "datepaid": NO_DATETIME,
            "total": "59.90",
            "status": "Unpaid",
            "items": [
                {
                    "description": "Hospedagem Plus - anasouza.com.br (10/12/2026 - 09/01/2027)",
                    "amount": "49.90",
                },
                {"description": "Proteção de privacidade &amp; SSL", "amount": "10.00"},
            ],
        },
        {
            "id": 501,
            "userid": 1,
            "invoicenum": "2026/0042",
            "date": "2026-10-10",
            "duedate": "2026-11-10",
            "datepaid": "2026-11-08 14:22:10",
            "total": "59.90",
            "status": "Paid",
            "items": [
                {
                    "description": "Hospedagem Plus - anasouza.com.br (10/11/2026 - 09/12/2026)",
                    "amount": "59.90",
                }
            ],
        },
        {
            "id": 502,
            "userid": 2,
            "invoicenum": "",
            "date": "2026-11-01",
            "duedate": "2026-11-15",
            "datepaid": NO_DATETIME,
            "total": "1234.56",
            "status": "Unpaid",
            "items": [{"description": "Revenda Cloud 50 (anual)", "amount": "1234.56"}],
        },
        {
            "id": 503,
            "userid": 1,
            "invoicenum": "",
            "date": "2026-11-25",
            "duedate": "2026-12-25",
            "datepaid": NO_DATETIME,
            "total": "19.90",
            "status": "Draft",
            "items": [{"description": "Rascunho", "amount": "19.90"}],
        },
        {
            "id": 504,
            "userid": 1,
            "invoicenum": "",
            "date": NO_DATE,
            "duedate": NO_DATE,
            "datepaid": NO_DATETIME,
            "total": "0.00",
            "status": "Cancelled",
            "items": [],
        },
    )
    for invoice in invoices:
        state.invoices[invoice["id"]] = invoice


# ---- the app -----------------------------------------------------------------------------------


def build_app(state: WhmcsState) -> Starlette:
    """The Starlette app of the fake, answering from and recording into ``state``."""

    async def api(request: Request) -> Response:
        raw = await request.body()
        params = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        delay = state.delay_for(params.get("action", ""))
        if delay > 0:
            generation = state.generation
            await asyncio.sleep(delay)
            if generation != state.generation:  # reset while we slept: a stale request
                return Response("stale", status_code=503, media_type="text/plain")
        client_ip = request.client.host if request.client else ""
        status, body = state.answer(params, client_ip)
        if isinstance(body, str):
            media = "text/html" if body.startswith("<") else "text/plain"
            return Response(body, status_code=status, media_type=media)
        return Response(orjson.dumps(body), status_code=status, media_type="application/json")

    return Starlette(routes=[Route("/includes/api.php", api, methods=["POST"])])


# ---- the server --------------------------------------------------------------------------------


class FakeWhmcs(BackgroundServer):
    """Serve the fake on 127.0.0.1 from a background thread:
    ``with FakeWhmcs() as whmcs: ... whmcs.url ...`` (or ``start()`` / ``stop()``).

    ``state`` holds the data and the helpers (``fail_next``, ``delay``, ``calls``...).
    """

    label = "the fake WHMCS"

    def __init__(
        self,
        *,
        state: WhmcsState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 10.0,
    ) -> None:
        super().__init__(host=host, port=port, startup_timeout=startup_timeout)
        self.state = state if state is not None else WhmcsState()

    def app(self) -> ASGIApp:
        return build_app(self.state)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the WHMCS root (the API is ``/includes/api.php``)."""
        return f"http://{self._host}:{self.port}"

    def fail_next(self, *statuses: int) -> None:
        self.state.fail_next(*statuses)
