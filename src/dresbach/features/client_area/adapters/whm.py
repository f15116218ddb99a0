"""The WHM adapter: one-click cPanel / Webmail / WHM links and a domain's DNS records, through
WHM API 1 on one server (``url`` = ``https://<host>:2087``).

* Every call is ``GET {url}/json-api/<function>?api.version=1&...`` with ``Authorization: whm
  <user>:<token>``; ``verify`` is httpx's (``False`` or an ``SSLContext`` for a server with a
  self-signed certificate).
* ``access_link``: ``create_user_session`` with ``service`` ``cpaneld`` (cpanel), ``webmaild``
  (webmail) or ``whostmgrd`` (whm, for a reseller). For one mailbox's Webmail, ``user`` is the
  mailbox address, as the WHM spec allows; the mailbox must first be one of the account's
  (``uapi_cpanel`` ``Email::list_pops`` for ``username``), since WHM would otherwise open any
  mailbox on the server. The link's ``expires_at`` is ``data.expires`` (Unix epoch); without it,
  15 minutes from ``clock()``, WHM's inactivity limit. The URL is a one-time login: it is never
  logged nor put in an error message.
* ``account_summary``: ``accountsummary`` for one cPanel user (disk and inodes against the
  quota, suspended and why), read by ``whm_accounts``; an unknown user is ``PermanentError``.
* ``dns_records``: ``parse_dns_zone`` (every name and value base64; decoded as UTF-8 with
  replacement, since zones may hold any bytes). Only A, AAAA, CNAME, MX and TXT records are
  kept; names are fully qualified without the final dot (relative ones are completed with the
  origin, ``@`` is the origin, ``$ORIGIN`` and ``$TTL`` control lines are honoured); an MX gives
  ``priority`` and its exchange; a TXT's strings are joined as DNS does. Malformed lines are
  skipped.
* ``edit_record``: one ``mass_edit_dns_zone`` (``add``, ``edit`` or ``remove`` by the record's
  ``line_index`` from ``parse_dns_zone``) against the zone's SOA ``serial`` read just before, so
  an edit made meanwhile by someone else is refused by WHM rather than overwritten.
* UAPI answers are normalized from any of their three shapes (direct, ``result``-wrapped or
  ``data.uapi`` through WHM).

Errors: ``metadata.result: 0`` → ``PermanentError(metadata.reason)``, or ``TransientError`` when
the reason says timeout / busy / try again / temporarily unavailable / waiting for a lock; a UAPI
``status: 0`` likewise with its ``errors``; 401 (bad token) and 403 (not allowed) →
``PermanentError``; 408, 429, 5xx, timeouts and transport failures → ``TransientError``, except a
TLS certificate that fails verification (``PermanentError``: a retry cannot fix it).
"""

from __future__ import annotations

import base64
import binascii
import re
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import httpx
import orjson

from dresbach.features.client_area.adapters.whm_accounts import account_summary
from dresbach.features.client_area.hosting import AccessKind, AccessLink, AccountSummary, DnsRecord
from dresbach.kernel.errors import DresbachError, PermanentError, TransientError

__all__ = ["WhmPanel"]

JsonObject = dict[str, Any]

SERVICES: Final[dict[str, str]] = {"cpanel": "cpaneld", "webmail": "webmaild", "whm": "whostmgrd"}
KINDS: Final = frozenset({"A", "AAAA", "CNAME", "MX", "TXT"})
SESSION_FALLBACK: Final = timedelta(minutes=15)
_RETRYABLE: Final = frozenset({408, 425, 429})
_USERNAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
_MAILBOX: Final = re.compile(r"[^@\s/?#&]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+")
_DOMAIN: Final = re.compile(
    r"(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}"
)
_TRANSIENT_REASON: Final = re.compile(
    r"timed? ?out|timeout|\bbusy\b|try again|temporar|unavailable|too many|waiting for .*lock",
    re.I,
)


class WhmPanel:
    """The ``HostingPanel`` port over WHM API 1. Call ``aclose()`` at shutdown."""

    def __init__(
        self,
        *,
        url: str,
        user: str,
        token: str,
        clock: Callable[[], datetime],
        timeout: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | ssl.SSLContext = True,
    ) -> None:
        self._base = url.rstrip("/")
        self._clock = clock
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"whm {user}:{token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            verify=verify,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    # ---- the port ------------------------------------------------------------------------------

    async def access_link(
        self,
        username: str,
        kind: AccessKind,
        *,
        mailbox: str | None = None,
        server: str | None = None,
        hostname: str | None = None,
    ) -> AccessLink:
        """``server`` and ``hostname`` are ignored: this panel is one server."""
        service = SERVICES.get(kind)
        if service is None:
            raise PermanentError(f"WHM: unknown access kind {kind!r}")
        if not _USERNAME.fullmatch(username):
            raise PermanentError(f"WHM: invalid cPanel username {username!r}")
        login = username
        if mailbox is not None:
            if kind != "webmail":
                raise PermanentError("WHM: a mailbox only opens Webmail")
            login = mailbox.strip().lower()
            if not _MAILBOX.fullmatch(login):
                raise PermanentError("WHM: invalid mailbox address")
            if login not in await self._mailboxes(username):
                raise PermanentError(f"WHM: the mailbox is not one of {username}'s")
        data = await self._call("create_user_session", user=login, service=service)
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise PermanentError("WHM create_user_session: the answer has no login URL")
        return AccessLink(url=url, expires_at=self._expiry(data.get("expires")))

    async def account_summary(
        self, username: str, *, hostname: str | None = None
    ) -> AccountSummary:
        """Disk and inode usage against the quota, and whether the account is suspended. This
        panel is one server: `hostname` (the site checks' port names it) changes nothing."""
        if not _USERNAME.fullmatch(username):
            raise PermanentError(f"WHM: invalid cPanel username {username!r}")
        return account_summary(await self._call("accountsummary", user=username), username)

    async def dns_records(
        self, domain: str, *, server: str | None = None, hostname: str | None = None
    ) -> list[DnsRecord]:
        zone = _zone_name(domain)
        return [record for _, record in _records(await self._zone(zone), zone)]

    async def edit_record(
        self,
        domain: str,
        before: DnsRecord | None,
        after: DnsRecord | None,
        *,
        server: str | None = None,
        hostname: str | None = None,
    ) -> None:
        """Add ``after``, replace ``before`` by it, or remove ``before``: one
        ``mass_edit_dns_zone`` against the serial the zone has now. A ``before`` no longer in
        the zone (changed meanwhile) is ``PermanentError``."""
        zone = _zone_name(domain)
        payload = await self._zone(zone)
        serial = next((_b64(line["data_b64"][2]) for line in payload if _is_soa(line)), None)
        if serial is None:
            raise PermanentError(f"WHM: the zone {zone} has no SOA serial")
        change: dict[str, str] = {}
        if before is not None:
            index = next((i for i, r in _records(payload, zone) if _same(r, before)), None)
            if index is None:
                raise PermanentError("WHM: the record changed meanwhile")
            change = {"edit" if after else "remove": str(index)}
        if after is not None:
            line = {"dname": f"{after.name}.", "ttl": after.ttl or 14400}
            data = (
                [str(after.priority), f"{after.value}."]
                if after.kind == "MX"
                else [f"{after.value}." if after.kind == "CNAME" else after.value]
            )
            line |= {"record_type": after.kind, "data": data}
            if before is not None:
                line["line_index"] = int(change["edit"])
            change = {"edit" if before else "add": orjson.dumps(line).decode()}
        await self._call("mass_edit_dns_zone", zone=zone, serial=serial.strip(), **change)

    async def _zone(self, zone: str) -> list[Any]:
        data = await self._call("parse_dns_zone", zone=zone)
        payload = data.get("payload")
        if not isinstance(payload, list):
            raise PermanentError("WHM parse_dns_zone: the answer has no payload")
        return payload

    # ---- the wire ------------------------------------------------------------------------------

    async def _call(self, function: str, **params: str) -> JsonObject:
        try:
            response = await self._client.get(
                f"{self._base}/json-api/{function}", params={"api.version": "1", **params}
            )
        except httpx.TimeoutException as error:
            raise TransientError(f"WHM {function}: timeout ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise _transport_error(function, error) from error
        return _data(function, response)

    async def _mailboxes(self, username: str) -> set[str]:
        data = await self._call(
            "uapi_cpanel",
            **{
                "cpanel.user": username,
                "cpanel.module": "Email",
                "cpanel.function": "list_pops",
            },
        )
        found = _uapi("Email::list_pops", {"data": data})
        entries = found if isinstance(found, list) else []
        return {
            str(entry.get("email", "")).strip().lower()
            for entry in entries
            if isinstance(entry, dict) and "@" in str(entry.get("email", ""))
        }

    def _expiry(self, value: object) -> datetime:
        epoch = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.strip().isdigit():
            epoch = int(value.strip())
        if epoch is None or epoch <= 0:
            return self._clock() + SESSION_FALLBACK
        return datetime.fromtimestamp(epoch, UTC)


# ---- answers -----------------------------------------------------------------------------------


def _transport_error(function: str, error: httpx.TransportError) -> DresbachError:
    if "CERTIFICATE_VERIFY_FAILED" in str(error):
        return PermanentError(f"WHM {function}: the server's TLS certificate failed verification")
    return TransientError(f"WHM {function}: unreachable ({type(error).__name__})")


def _data(function: str, response: httpx.Response) -> JsonObject:
    status = response.status_code
    if status == 401:
        raise PermanentError(f"WHM {function}: the API token was refused (HTTP 401)", code=401)
    if status == 403:
        raise PermanentError(f"WHM {function}: not allowed for this token (HTTP 403)", code=403)
    if status >= 500 or status in _RETRYABLE:
        raise TransientError(f"WHM {function}: HTTP {status}", code=status)
    if not response.is_success:
        raise PermanentError(f"WHM {function}: HTTP {status}", code=status)
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError as error:
        raise PermanentError(f"WHM {function}: the answer is not JSON") from error
    metadata = body.get("metadata") if isinstance(body, dict) else None
    if not isinstance(metadata, dict):
        raise PermanentError(f"WHM {function}: no metadata in the answer (not WHM API 1?)")
    if str(metadata.get("result")) != "1":
        reason = str(metadata.get("reason") or "failed")
        error_class = TransientError if _TRANSIENT_REASON.search(reason) else PermanentError
        raise error_class(f"WHM {function}: {reason}")
    data = body.get("data")
    return data if isinstance(data, dict) else {}


def _uapi(what: str, payload: JsonObject) -> object:
    """The ``data`` of a UAPI answer in any of its shapes: direct ``{status, data, errors}``,
    ``{result: {status, data, errors}}`` (CLI / spec) or ``{data: {uapi: {...}}}`` (WHM)."""
    inner: object = payload
    if isinstance(payload.get("data"), dict) and isinstance(payload["data"].get("uapi"), dict):
        inner = payload["data"]["uapi"]
    elif isinstance(payload.get("result"), dict):
        inner = payload["result"]
    if not isinstance(inner, dict):
        raise PermanentError(f"UAPI {what}: unexpected answer")
    if str(inner.get("status")) != "1":
        errors = inner.get("errors")
        reason = "; ".join(str(e) for e in errors) if isinstance(errors, list) else "failed"
        error_class = TransientError if _TRANSIENT_REASON.search(reason) else PermanentError
        raise error_class(f"UAPI {what}: {reason}")
    return inner.get("data")


# ---- DNS ---------------------------------------------------------------------------------------


def _zone_name(domain: str) -> str:
    name = domain.strip().rstrip(".").lower()
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise PermanentError(f"WHM: invalid domain {domain!r}") from error
    if not _DOMAIN.fullmatch(name):
        raise PermanentError(f"WHM: invalid domain {domain!r}")
    return name


def _is_soa(line: object) -> bool:
    if not isinstance(line, dict) or line.get("record_type") != "SOA":
        return False
    data = line.get("data_b64")
    return isinstance(data, list) and len(data) > 2


def _same(record: DnsRecord, wanted: DnsRecord) -> bool:
    return (record.name, record.kind, record.value, record.priority) == (
        wanted.name,
        wanted.kind,
        wanted.value,
        wanted.priority,
    )


def _records(payload: list[Any], zone: str) -> list[tuple[int, DnsRecord]]:
    """The records kept, each with its ``line_index`` (what ``mass_edit_dns_zone`` names)."""
    origin, default_ttl = zone, None
    records: list[tuple[int, DnsRecord]] = []
    for line in payload:
        if not isinstance(line, dict):
            continue
        if line.get("type") == "control":
            directive, _, argument = (_b64(line.get("text_b64")) or "").strip().partition(" ")
            if directive.upper() == "$ORIGIN" and argument.strip():
                origin = _qualify(argument.strip(), origin)
            elif directive.upper() == "$TTL":
                default_ttl = _ttl(argument.strip()) or default_ttl
            continue
        if line.get("type") != "record":
            continue
        record = _record(line, origin, default_ttl)
        if record is not None:
            index = line.get("line_index")
            records.append((index if isinstance(index, int) else -1, record))
    return records


def _record(line: JsonObject, origin: str, default_ttl: int | None) -> DnsRecord | None:
    kind = str(line.get("record_type", "")).upper()
    name = _b64(line.get("dname_b64"))
    raw = line.get("data_b64")
    if kind not in KINDS or name is None or not isinstance(raw, list) or not raw:
        return None
    values = [_b64(v) for v in raw]
    if any(v is None for v in values):
        return None
    parts = [v for v in values if v is not None]
    ttl = _ttl(line.get("ttl")) or default_ttl
    fqdn = _qualify(name, origin)
    if kind == "MX":
        if len(parts) < 2 or not parts[0].strip().isdigit():
            return None
        exchange = _qualify(parts[1].strip(), origin)
        return DnsRecord(
            name=fqdn, kind=kind, value=exchange, ttl=ttl, priority=int(parts[0].strip())
        )
    if kind == "TXT":
        return DnsRecord(name=fqdn, kind=kind, value="".join(parts), ttl=ttl)
    value = parts[0].strip()
    if kind == "CNAME":
        value = _qualify(value, origin)
    return DnsRecord(name=fqdn, kind=kind, value=value, ttl=ttl)


def _b64(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.decode("utf-8", errors="replace")


def _qualify(name: str, origin: str) -> str:
    """``www`` → ``www.example.com``; ``example.com.`` → ``example.com``; ``@`` → the origin."""
    name = name.strip()
    if name in ("@", ""):
        return origin
    if name.endswith("."):
        return name[:-1].lower()
    return f"{name}.{origin}".lower()


def _ttl(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
