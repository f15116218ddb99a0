"""A faithful fake of WHM API 1 (``GET /json-api/<function>``) for one cPanel server.

As the reference (§1) describes it:

* ``Authorization: whm <user>:<token>`` against ``tokens`` (root and a reseller by default);
  anything else → HTTP 401. A reseller token touching an account (or zone) it does not own →
  HTTP 403. ``api.version=1`` is required (without it the answer has no ``metadata``, like API 0).
* The envelope ``{"data": ..., "metadata": {"command", "reason", "result", "version"}}``;
  ``metadata.result: 0`` with a ``reason`` for an unknown user, domain, zone or function.
* ``listaccts`` (``searchtype`` domain | owner | user | ip | package, ``search`` a regex or, with
  ``searchmethod=exact``, a literal), ``accountsummary`` (``user`` or ``domain``; disk and
  inodes used against the limits, suspended and why, as ``add_account`` set them).
* ``create_user_session`` (``user`` = a cPanel user, or a mailbox address with
  ``service=webmaild``; ``whostmgrd`` only for resellers): ``data.url`` points back at this fake,
  ``/cpsess<N>/login/?session=<user>:<token>``, which logs in once (a second GET → 401), and
  ``data.expires`` is a Unix epoch ``session_ttl`` seconds ahead.
* ``mass_edit_dns_zone``: one ``add`` / ``edit`` / ``remove`` against the zone's SOA
  ``serial`` (a stale serial is refused), the new serial in ``data.new_serial``.
* ``parse_dns_zone``: ``data.payload[]`` with every name and value base64 (``dname_b64``,
  ``data_b64[]``, ``text_b64``), comment / control / record lines, relative names, records without
  a TTL (the ``$TTL`` applies), a TXT split into two strings, an SRV and bytes that are not
  UTF-8.
* ``uapi_cpanel`` for ``Email::list_pops`` in the WHM shape (``data.uapi``).
* ``version`` (``data.version``), the cheapest authenticated call.

Test helpers on the state: ``fail_next(*statuses)`` (HTML error pages), ``fail_next_reason(r)``
(the next call answers ``metadata.result: 0`` with that reason), ``delay``, ``calls``
(function, query without ``api.version``, status), ``sessions``, ``reset()``.
:class:`FakeWhm` serves it over plain HTTP on 127.0.0.1 from a background thread.
"""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tests.fakes.serving import BackgroundServer

__all__ = [
    "DEFAULT_TOKEN",
    "RESELLER_TOKEN",
    "SECOND_TOKEN",
    "FakeWhm",
    "WhmState",
    "build_app",
]

JsonObject = dict[str, Any]
Params = dict[str, str]

DEFAULT_TOKEN: Final = "FAKEWHMROOTTOKEN0000000000000000"
RESELLER_TOKEN: Final = "FAKEWHMRESELLERTOKEN000000000000"
SECOND_TOKEN: Final = "FAKEWHMSECONDSERVERTOKEN00000002"
SERVICES: Final = frozenset({"cpaneld", "webmaild", "whostmgrd"})


class _Refused(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status


class _Failed(Exception):
    """``metadata.result: 0`` with this reason."""


class WhmState:
    """The fake server's accounts, zones, sessions and helpers (thread-safe)."""

    def __init__(
        self,
        *,
        tokens: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        session_ttl: int = 900,
        seeded: bool = True,
        server: int = 1,
    ) -> None:
        """``server`` 1 holds :func:`seed`'s accounts; 2, another server of the same company,
        holds :func:`seed_second`'s, with its own root token (``SECOND_TOKEN``)."""
        self._lock = threading.RLock()
        self.server = server
        default_tokens = (
            {"root": DEFAULT_TOKEN, "techsol": RESELLER_TOKEN}
            if server == 1
            else {"root": SECOND_TOKEN}
        )
        self._initial = (dict(tokens) if tokens is not None else default_tokens, seeded)
        self.clock = clock
        self.session_ttl = session_ttl
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        """Back to the tokens and data given at construction."""
        tokens, seeded = self._initial
        with self._lock:
            self.generation += 1
            self.tokens: dict[str, str] = dict(tokens)
            self.accounts: dict[str, JsonObject] = {}
            self.resellers: set[str] = set()
            self.zones: dict[str, list[JsonObject]] = {}
            self.sessions: dict[str, JsonObject] = {}
            """``session`` (``user:token``) → ``{user, service, expires, used}``."""
            self.calls: list[tuple[str, Params, int]] = []
            self.delay = 0.0
            self._fail_next: list[int] = []
            self._fail_reason: list[str] = []
            if seeded:
                (seed if self.server == 1 else seed_second)(self)

    # ---- test helpers --------------------------------------------------------------------------

    def fail_next(self, *statuses: int) -> None:
        """The next calls answer these HTTP statuses, one each."""
        with self._lock:
            self._fail_next.extend(statuses)

    def fail_next_reason(self, *reasons: str) -> None:
        """The next calls answer HTTP 200 with ``metadata.result: 0`` and these reasons."""
        with self._lock:
            self._fail_reason.extend(reasons)

    def add_account(
        self,
        user: str,
        *,
        domain: str,
        owner: str = "root",
        plan: str = "Hospedagem Plus",
        mailboxes: tuple[str, ...] = (),
        reseller: bool = False,
        suspended: bool = False,
        suspend_reason: str = "Pagamento em atraso",
        disk_used: str = "512M",
        disk_limit: str = "10240M",
        inodes_used: int = 1234,
        inodes_limit: int | str = "unlimited",
        ip: str = "203.0.113.10",
        ipv6: tuple[str, ...] = (),
    ) -> None:
        """Add (or replace) an account; sizes as WHM writes them (``"512M"``, ``"unlimited"``)."""
        with self._lock:
            self.accounts[user] = {
                "user": user,
                "domain": domain,
                "owner": owner,
                "plan": plan,
                "mailboxes": list(mailboxes),
                "suspended": suspended,
                "suspend_reason": suspend_reason,
                "disk_used": disk_used,
                "disk_limit": disk_limit,
                "inodes_used": inodes_used,
                "inodes_limit": inodes_limit,
                "ip": ip,
                "ipv6": list(ipv6),
            }
            if reseller:
                self.resellers.add(user)

    # ---- the API -------------------------------------------------------------------------------

    def answer(
        self, function: str, params: Params, authorization: str | None, base_url: str
    ) -> tuple[int, JsonObject | str]:
        shown = {k: v for k, v in params.items() if k != "api.version"}
        status, body = self._answer(function, params, authorization, base_url)
        with self._lock:
            self.calls.append((function, shown, status))
        return status, body

    def _answer(
        self, function: str, params: Params, authorization: str | None, base_url: str
    ) -> tuple[int, JsonObject | str]:
        with self._lock:
            injected = self._fail_next.pop(0) if self._fail_next else None
        if injected is not None:
            return injected, f"<html><body><h1>{injected}</h1>cpsrvd</body></html>"
        try:
            caller = self._caller(authorization)
            if params.get("api.version") != "1":
                return 200, {"status": 0, "statusmsg": "this fake speaks api.version=1 only"}
            with self._lock:
                reason = self._fail_reason.pop(0) if self._fail_reason else None
                if reason is not None:
                    raise _Failed(reason)
                handler = _FUNCTIONS.get(function)
                if handler is None:
                    raise _Failed(
                        f"Unknown app (“{function}”) requested for this version (1) of the API."
                    )
                data, message = handler(self, caller, params, base_url)
        except _Refused as refused:
            return refused.status, refused.args[0]
        except _Failed as failed:
            return 200, _envelope(function, None, str(failed), result=0)
        return 200, _envelope(function, data, message, result=1)

    def _caller(self, authorization: str | None) -> str:
        scheme, _, credentials = (authorization or "").partition(" ")
        user, _, token = credentials.strip().partition(":")
        known = self.tokens.get(user)
        if (
            scheme.lower() != "whm"
            or known is None
            or not secrets.compare_digest(token.encode(), known.encode())
        ):
            raise _Refused(401, "Access denied: invalid WHM API token")
        return user

    def _visible(self, caller: str, account: JsonObject) -> bool:
        return caller == "root" or caller in (account["user"], account["owner"])

    def _account(self, caller: str, user: str) -> JsonObject:
        account = self.accounts.get(user)
        if account is None:
            raise _Failed(f"The user “{user}” does not exist.")
        if not self._visible(caller, account):
            raise _Refused(403, "Access denied")
        return account

    def login(self, session: str) -> tuple[int, str]:
        """The one-time login behind a session URL."""
        with self._lock:
            found = self.sessions.get(session)
            now = int(self.clock().timestamp())
            if found is None or found["used"] or found["expires"] < now:
                return 401, "Your session has expired or is invalid."
            found["used"] = True
            return (
                200,
                f"<html><body>{found['service']}: logged in as {found['user']}</body></html>",
            )


def _envelope(function: str, data: object, reason: str, *, result: int) -> JsonObject:
    body: JsonObject = {
        "metadata": {"command": function, "reason": reason, "result": result, "version": 1}
    }
    if data is not None:
        body["data"] = data
    return body


# ---- functions ---------------------------------------------------------------------------------

Handler = Callable[[WhmState, str, Params, str], tuple[object, str]]


def _render_account(state: WhmState, account: JsonObject) -> JsonObject:
    return {
        "user": account["user"],
        "domain": account["domain"],
        "owner": account["owner"],
        "email": f"contato@{account['domain']}",
        "plan": account["plan"],
        "ip": account["ip"],
        "ipv6": list(account["ipv6"]),
        "partition": "home",
        "theme": "jupiter",
        "suspended": int(account["suspended"]),
        "suspendreason": account["suspend_reason"] if account["suspended"] else "not suspended",
        "suspendtime": 1_764_000_000 if account["suspended"] else 0,
        "is_locked": 0,
        "diskused": account["disk_used"],
        "disklimit": account["disk_limit"],
        "startdate": "08 Jun 22 17:05",
        "unix_startdate": 1_654_708_000,
        "maxpop": "100",
        "maxsql": "10",
        "maxftp": "5",
        "maxsub": "unlimited",
        "maxparked": "5",
        "maxaddons": "*unknown*",
        "maxlst": "*unknown*",
        "max_email_per_hour": "500",
        "shell": "/usr/local/cpanel/bin/noshell",
        "backup": 1,
        "legacy_backup": 0,
    }


def _listaccts(state: WhmState, caller: str, params: Params, base_url: str) -> tuple[object, str]:
    field = params.get("searchtype", "")
    search = params.get("search")
    if field == "package":
        field = "plan"
    if search is not None and field not in ("domain", "owner", "user", "ip", "plan"):
        raise _Failed("Invalid searchtype.")
    exact = params.get("searchmethod") == "exact"
    try:
        pattern = re.compile(re.escape(search) if exact and search else search or "")
    except re.error as error:
        raise _Failed(f"Invalid regular expression: {error}") from error
    found = []
    for account in sorted(state.accounts.values(), key=lambda a: a["user"]):
        if not state._visible(caller, account):
            continue
        rendered = _render_account(state, account)
        if search is not None:
            value = str(rendered[field])
            matched = value == search if exact else pattern.search(value) is not None
            if not matched:
                continue
        found.append(rendered)
    return {"acct": found}, "OK"


def _accountsummary(
    state: WhmState, caller: str, params: Params, base_url: str
) -> tuple[object, str]:
    user, domain = params.get("user"), params.get("domain")
    if not user and not domain:
        raise _Failed("You must specify either the “user” or the “domain” parameter.")
    if not user:
        match = next((a for a in state.accounts.values() if a["domain"] == domain), None)
        if match is None:
            raise _Failed(f"Account does not exist for domain “{domain}”.")
        user = match["user"]
    account = state._account(caller, user)
    rendered = _render_account(state, account)
    rendered.update(
        inodesused=account["inodes_used"],
        inodeslimit=account["inodes_limit"],
        mailbox_format="maildir",
    )
    rendered["child_nodes"] = []
    return {"acct": [rendered]}, "OK"


def _create_user_session(
    state: WhmState, caller: str, params: Params, base_url: str
) -> tuple[object, str]:
    service = params.get("service", "")
    login = params.get("user", "").strip()
    if service not in SERVICES:
        raise _Failed(f"Invalid service “{service}”: use cpaneld, webmaild or whostmgrd.")
    if not login:
        raise _Failed("The “user” parameter is required.")
    if "@" in login:
        if service != "webmaild":
            raise _Failed("An email address can only open a Webmail session.")
        owner = next((a for a in state.accounts.values() if login.lower() in a["mailboxes"]), None)
        if owner is None:
            raise _Failed(f"The user “{login}” does not exist.")
        state._account(caller, owner["user"])
    else:
        account = state._account(caller, login)
        if service == "whostmgrd" and login not in state.resellers:
            raise _Failed(f"The user “{login}” is not a reseller.")
        if account["suspended"] and service != "whostmgrd":
            raise _Failed(f"The account “{login}” is suspended.")
    token = secrets.token_urlsafe(36).replace("-", "x").replace("_", "y")
    cpsess = f"/cpsess{secrets.randbelow(9_000_000_000) + 1_000_000_000}"
    session = f"{login}:{token}"
    expires = int(state.clock().timestamp()) + state.session_ttl
    state.sessions[session] = {
        "user": login,
        "service": service,
        "expires": expires,
        "used": False,
    }
    return {
        "url": f"{base_url.rstrip('/')}{cpsess}/login/?session={session}",
        "session": session,
        "cp_security_token": cpsess,
        "expires": expires,
        "service": service,
    }, "Created session"


def _parse_dns_zone(
    state: WhmState, caller: str, params: Params, base_url: str
) -> tuple[object, str]:
    zone = params.get("zone", "").lower()
    lines = state.zones.get(zone)
    if lines is None:
        raise _Failed(f"The zone “{zone}” does not exist.")
    owner = next((a for a in state.accounts.values() if a["domain"] == zone), None)
    if owner is not None and not state._visible(caller, owner):
        raise _Refused(403, "Access denied")
    if owner is None and caller != "root":
        raise _Refused(403, "Access denied")
    return {"payload": [_render_line(n, line) for n, line in enumerate(lines)]}, "OK"


_EDITABLE: Final = frozenset({"A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA"})


def _mass_edit_dns_zone(
    state: WhmState, caller: str, params: Params, base_url: str
) -> tuple[object, str]:
    """``mass_edit_dns_zone`` (one ``add``, ``edit`` or ``remove`` per call here): the
    ``serial`` must be the zone's SOA serial as ``parse_dns_zone`` showed it, or WHM refuses
    the edit (someone changed the zone meanwhile); an ``edit`` / ``remove`` names a record's
    ``line_index``; the new serial is the old one plus one. An A record needs an IPv4, an MX a
    numeric preference."""
    zone = params.get("zone", "").lower()
    lines = state.zones.get(zone)
    if lines is None:
        raise _Failed(f"The zone “{zone}” does not exist.")
    owner = next((a for a in state.accounts.values() if a["domain"] == zone), None)
    if (owner is None and caller != "root") or (owner and not state._visible(caller, owner)):
        raise _Refused(403, "Access denied")
    soa = next((line for line in lines if line.get("kind") == "SOA"), None)
    if soa is None:
        raise _Failed(f"The zone “{zone}” has no SOA record.")
    serial = str(soa["data"][2])
    if params.get("serial", "") != serial:
        raise _Failed(
            f"The given serial number ({params.get('serial', '')}) does not match the DNS "
            f"zone’s serial number ({serial}). Refresh your view of the DNS zone, then resubmit."
        )
    if "remove" in params:
        del lines[_record_index(lines, params["remove"])]
    elif "edit" in params:
        change = _zone_change(params["edit"])
        lines[_record_index(lines, str(change.get("line_index", "")))] = _as_line(change)
    elif "add" in params:
        lines.append(_as_line(_zone_change(params["add"])))
    else:
        raise _Failed("Nothing to do: give “add”, “edit” or “remove”.")
    new_serial = str(int(serial) + 1)
    soa["data"][2] = new_serial
    return {"new_serial": new_serial}, "OK"


def _zone_change(raw: str) -> JsonObject:
    try:
        change = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise _Failed(f"Invalid JSON: {error}") from error
    if not isinstance(change, dict):
        raise _Failed("Each change must be a JSON object.")
    return change


def _record_index(lines: list[JsonObject], raw: str) -> int:
    index = int(raw) if raw.isdigit() else -1
    if not 0 <= index < len(lines) or lines[index]["type"] != "record":
        raise _Failed(f"No record at line index “{raw}”.")
    if lines[index]["kind"] in ("SOA", "NS"):
        raise _Failed("You cannot edit the SOA or NS records of a zone.")
    return index


def _as_line(change: JsonObject) -> JsonObject:
    kind = str(change.get("record_type", "")).upper()
    data = change.get("data")
    name = str(change.get("dname", ""))
    if kind not in _EDITABLE or not name or not isinstance(data, list) or not data:
        raise _Failed("Each record needs “dname”, “record_type” and “data”.")
    parts = [str(part) for part in data]
    if kind == "A" and not re.fullmatch(r"(\d{1,3}\.){3}\d{1,3}", parts[0]):
        raise _Failed(f"“{parts[0]}” is not a valid IPv4 address.")
    if kind == "MX" and (len(parts) < 2 or not parts[0].isdigit()):
        raise _Failed("An MX record needs a numeric preference and an exchange.")
    ttl = change.get("ttl")
    return _line(name, kind, *parts, ttl=int(str(ttl)) if str(ttl).isdigit() else 14400)


def _render_line(index: int, line: JsonObject) -> JsonObject:
    if line["type"] in ("comment", "control"):
        return {"line_index": index, "type": line["type"], "text_b64": _b64(line["text"])}
    rendered: JsonObject = {
        "line_index": index,
        "type": "record",
        "dname_b64": _b64(line["name"]),
        "record_type": line["kind"],
        "data_b64": [_b64(part) for part in line["data"]],
    }
    if line.get("ttl") is not None:
        rendered["ttl"] = line["ttl"]
    return rendered


def _b64(value: str | bytes) -> str:
    raw = value.encode() if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")


def _uapi_cpanel(state: WhmState, caller: str, params: Params, base_url: str) -> tuple[object, str]:
    user = params.get("cpanel.user", "")
    account = state._account(caller, user)
    module, function = params.get("cpanel.module", ""), params.get("cpanel.function", "")
    if (module, function) != ("Email", "list_pops"):
        uapi: JsonObject = {
            "status": 0,
            "data": None,
            "errors": [f"Failed to load module “{module}” or function “{function}”."],
            "messages": None,
            "warnings": None,
            "metadata": {},
        }
        return {"uapi": uapi}, "OK"
    pops = [
        {"email": address, "login": address, "suspended_incoming": 0, "suspended_login": 0}
        for address in account["mailboxes"]
    ]
    pops.append(
        {"email": user, "login": "Main Account", "suspended_incoming": 0, "suspended_login": 0}
    )
    uapi = {
        "status": 1,
        "data": pops,
        "errors": None,
        "messages": None,
        "warnings": None,
        "metadata": {"transformed": 1},
    }
    return {"uapi": uapi}, "OK"


def _version(state: WhmState, caller: str, params: Params, base_url: str) -> tuple[object, str]:
    """``version``: the cPanel & WHM build (what ``dresbach doctor`` asks)."""
    return {"version": "11.130.0.7"}, "OK"


_FUNCTIONS: Final[dict[str, Handler]] = {
    "version": _version,
    "listaccts": _listaccts,
    "accountsummary": _accountsummary,
    "create_user_session": _create_user_session,
    "parse_dns_zone": _parse_dns_zone,
    "mass_edit_dns_zone": _mass_edit_dns_zone,
    "uapi_cpanel": _uapi_cpanel,
}


# ---- the seed ----------------------------------------------------------------------------------


def _line(name: str, kind: str, *data: str | bytes, ttl: int | None = 14400) -> JsonObject:
    return {"type": "record", "name": name, "kind": kind, "data": list(data), "ttl": ttl}


def seed(state: WhmState) -> None:
    """Accounts ``anasouza`` (root's), ``techsol`` (a reseller) and ``clienterevenda``
    (``techsol``'s), with mailboxes, and the zones of their domains."""
    state.add_account(
        "anasouza",
        domain="anasouza.com.br",
        mailboxes=("contato@anasouza.com.br", "ana@anasouza.com.br"),
    )
    state.add_account(
        "techsol",
        domain="techsolutions.com.br",
        plan="Revenda Cloud 50",
        mailboxes=("financeiro@techsolutions.com.br",),
        reseller=True,
    )
    state.add_account(
        "clienterevenda",
        domain="clienterevenda.com.br",
        owner="techsol",
        plan="techsol_basico",
        mailboxes=("vendas@clienterevenda.com.br",),
    )
    state.add_account("suspenso", domain="suspenso.com.br", suspended=True)
    state.zones["anasouza.com.br"] = [
        {"type": "comment", "text": "; cPanel first:110.0.9 (update_time):1764072000"},
        {"type": "control", "text": "$TTL 14400"},
        _line(
            "anasouza.com.br.",
            "SOA",
            "ns1.dresbach.com.br.",
            "admin.dresbach.com.br.",
            "2026112501",
            "3600",
            "1800",
            "1209600",
            "86400",
            ttl=86400,
        ),
        _line("anasouza.com.br.", "NS", "ns1.dresbach.com.br.", ttl=86400),
        _line("anasouza.com.br.", "NS", "ns2.dresbach.com.br.", ttl=86400),
        _line("anasouza.com.br.", "A", "203.0.113.10"),
        _line("anasouza.com.br.", "AAAA", "2001:db8::10"),
        _line("www", "CNAME", "anasouza.com.br."),
        _line("ftp", "CNAME", "www", ttl=None),
        _line("anasouza.com.br.", "MX", "0", "mail"),
        _line("anasouza.com.br.", "MX", "10", "mx2.dresbach.com.br."),
        _line("mail", "A", "203.0.113.11", ttl=300),
        _line("anasouza.com.br.", "TXT", "v=spf1 +a +mx include:_spf.dresbach.com.br ~all"),
        _line(
            "default._domainkey",
            "TXT",
            "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B",
            "AQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo",
        ),
        _line("_sip._tcp", "SRV", "10", "60", "5060", "sip.anasouza.com.br."),
        _line("legado", "TXT", b"caf\xe9 antigo"),
        {"type": "comment", "text": "; fim da zona"},
    ]
    state.zones["techsolutions.com.br"] = [
        {"type": "control", "text": "$TTL 3600"},
        _line("techsolutions.com.br.", "A", "203.0.113.20", ttl=None),
        _line("www.techsolutions.com.br.", "CNAME", "techsolutions.com.br.", ttl=None),
        _line("techsolutions.com.br.", "MX", "5", "mail.techsolutions.com.br.", ttl=None),
    ]
    state.zones["clienterevenda.com.br"] = [
        _line("clienterevenda.com.br.", "A", "203.0.113.30"),
    ]


def seed_second(state: WhmState) -> None:
    """The second server: ``anaenvios`` (Ana's shop, ``loja.anasouza.com.br``) and ``bazar``;
    no account of the first server is here."""
    state.add_account(
        "anaenvios",
        domain="loja.anasouza.com.br",
        plan="Hospedagem Loja",
        mailboxes=("pedidos@loja.anasouza.com.br",),
        disk_used="9800M",
        ip="203.0.113.50",
    )
    state.add_account("bazar", domain="bazar.com.br", ip="203.0.113.50")
    state.zones["loja.anasouza.com.br"] = [
        {"type": "control", "text": "$TTL 3600"},
        _line(
            "loja.anasouza.com.br.",
            "SOA",
            "ns1.dresbach.com.br.",
            "admin.dresbach.com.br.",
            "2026120701",
            "3600",
            "1800",
            "1209600",
            "86400",
            ttl=86400,
        ),
        _line("loja.anasouza.com.br.", "A", "203.0.113.50"),
        _line("www", "CNAME", "loja.anasouza.com.br."),
        _line("loja.anasouza.com.br.", "MX", "0", "mail"),
    ]
    state.zones["bazar.com.br"] = [_line("bazar.com.br.", "A", "203.0.113.50")]


# ---- the app -----------------------------------------------------------------------------------


def build_app(state: WhmState) -> Starlette:
    """The Starlette app of the fake, answering from and recording into ``state``."""

    async def json_api(request: Request) -> Response:
        if state.delay > 0:
            generation = state.generation
            await asyncio.sleep(state.delay)
            if generation != state.generation:  # reset while we slept: a stale request
                return Response("stale", status_code=503, media_type="text/plain")
        function = str(request.path_params["function"])
        params = dict(request.query_params)
        base_url = f"{request.url.scheme}://{request.url.netloc}"
        status, body = state.answer(
            function, params, request.headers.get("authorization"), base_url
        )
        if isinstance(body, str):
            media = "text/html" if body.startswith("<") else "text/plain"
            return Response(body, status_code=status, media_type=media)
        return Response(orjson.dumps(body), status_code=status, media_type="application/json")

    async def login(request: Request) -> Response:
        status, text = state.login(request.query_params.get("session", ""))
        return Response(text, status_code=status, media_type="text/html")

    return Starlette(
        routes=[
            Route("/json-api/{function}", json_api, methods=["GET"]),
            Route("/{cpsess:str}/login/", login, methods=["GET"]),
        ]
    )


# ---- the server --------------------------------------------------------------------------------


class FakeWhm(BackgroundServer):
    """Serve the fake on 127.0.0.1 from a background thread:
    ``with FakeWhm() as whm: ... whm.url ...`` (or ``start()`` / ``stop()``)."""

    label = "the fake WHM"

    def __init__(
        self,
        *,
        state: WhmState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 10.0,
    ) -> None:
        super().__init__(host=host, port=port, startup_timeout=startup_timeout)
        self.state = state if state is not None else WhmState()

    def app(self) -> ASGIApp:
        return build_app(self.state)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: what goes before ``/json-api/``."""
        return f"http://{self._host}:{self.port}"

    def fail_next(self, *statuses: int) -> None:
        self.state.fail_next(*statuses)
