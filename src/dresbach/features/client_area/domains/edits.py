"""DNS records and nameservers a client types, checked before anything is asked of WHM or the
registrar (pure: no I/O). A refused entry is :class:`Refused`, whose ``text`` says in pt-BR what
is wrong and what a valid entry looks like.

* A: an IPv4 on the internet (``10.0.0.1``, ``192.168.x``, loopback and the like are refused).
* CNAME: a host name; never on the zone's own name (it has SOA, NS and MX there).
* MX: a priority 0–65535 and a host name.
* TXT: any text up to 2,048 characters (WHM splits it into 255-byte strings).
* Names: ``@`` or empty is the zone; a relative name is completed with the zone; a fully
  qualified one must end in the zone. TTL 300–86400 s, 14400 when not given.
* Nameservers: two to five host names, none repeated.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from dresbach.features.client_area.domains.texts import CONFIRMATIONS, REFUSALS
from dresbach.features.client_area.hosting import DnsRecord

EditKind = Literal["A", "CNAME", "MX", "TXT"]
KINDS: Final = ("A", "CNAME", "MX", "TXT")
DEFAULT_TTL: Final = 14400
TXT_LIMIT: Final = 2048
_LABEL: Final = r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?"
_HOST: Final = re.compile(rf"(?=.{{1,253}}$)({_LABEL}\.)+[a-z]([a-z0-9-]{{0,61}}[a-z0-9])?")
_INTERNAL: Final = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",
    )
)
"""Networks no site on the internet answers from: private, shared, loopback, link-local,
multicast and reserved."""
_RELATIVE: Final = re.compile(rf"(\*\.)?({_LABEL})(\.{_LABEL})*|\*")


class Refused(ValueError):
    """An entry that cannot be used; ``text`` is what the client reads."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = values

    @property
    def text(self) -> str:
        return REFUSALS[self.code].format(**self.values)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordEdit:
    """One change to a zone: an addition (no ``before``), a change, or a removal (no
    ``after``)."""

    zone: str
    before: DnsRecord | None
    after: DnsRecord | None

    @property
    def kind(self) -> str:
        record = self.after or self.before
        return record.kind if record else ""


def host(value: str, code: str = "host") -> str:
    """A host name, lower case, without the final dot (IDN in its ASCII form)."""
    name = value.strip().rstrip(".").lower()
    try:
        name = name.encode("idna").decode("ascii") if name else name
    except UnicodeError:
        raise Refused(code, value=value.strip()) from None
    if not _HOST.fullmatch(name):
        raise Refused(code, value=value.strip())
    return name


def check_nameservers(values: Sequence[str]) -> tuple[str, ...]:
    found = tuple(host(v, "nameserver") for v in values if v.strip())
    if not 2 <= len(found) <= 5 or len(set(found)) != len(found):
        raise Refused("nameserver_count")
    return found


def record_name(zone: str, name: str) -> str:
    """``@`` → the zone; ``www`` → ``www.<zone>``; ``www.<zone>`` stays."""
    typed = name.strip().rstrip(".").lower()
    if typed in ("", "@", zone):
        return zone
    if typed.endswith(f".{zone}"):
        typed = typed.removesuffix(f".{zone}")
    if not _RELATIVE.fullmatch(typed):
        raise Refused("name", value=name.strip(), zone=zone)
    return f"{typed}.{zone}"


def check_record(
    zone: str,
    kind: str,
    name: str,
    value: str,
    *,
    priority: str | int | None = None,
    ttl: str | int | None = None,
) -> DnsRecord:
    """The record a client typed, checked (``Refused`` says why not)."""
    kind = kind.strip().upper()
    if kind not in KINDS:
        raise Refused("kind")
    zone = host(zone)
    fqdn = record_name(zone, name)
    seconds = _number(ttl, "ttl", 300, 86400) if ttl not in (None, "") else DEFAULT_TTL
    if kind == "A":
        return DnsRecord(name=fqdn, kind=kind, value=_ipv4(value), ttl=seconds)
    if kind == "CNAME":
        if fqdn == zone:
            raise Refused("cname_apex", zone=zone)
        return DnsRecord(name=fqdn, kind=kind, value=host(value), ttl=seconds)
    if kind == "MX":
        weight = _number(priority, "priority", 0, 65535)
        return DnsRecord(name=fqdn, kind=kind, value=host(value), ttl=seconds, priority=weight)
    text = value.strip()
    if not text:
        raise Refused("txt_empty")
    if len(text) > TXT_LIMIT:
        raise Refused("txt_long", size=len(text))
    return DnsRecord(name=fqdn, kind=kind, value=text, ttl=seconds)


def parse_line(zone: str, line: str) -> DnsRecord:
    """``www CNAME exemplo.com.br`` / ``@ MX 10 mail.exemplo.com.br`` / ``@ TXT v=spf1 …``:
    the name, the type and the value (an MX's priority first) on one line, checked."""
    parts = line.strip().split()
    if len(parts) < 3 or parts[1].upper() not in KINDS:
        raise Refused("line", zone=zone)
    name, kind, rest = parts[0], parts[1].upper(), parts[2:]
    if kind == "MX":
        if len(rest) != 2:
            raise Refused("line", zone=zone)
        return check_record(zone, kind, name, rest[1], priority=rest[0])
    value = " ".join(rest).strip('"') if kind == "TXT" else " ".join(rest)
    return check_record(zone, kind, name, value)


def as_line(record: DnsRecord) -> str:
    """A record back in the one-line form :func:`parse_line` reads."""
    priority = f" {record.priority}" if record.priority is not None else ""
    return f"{record.name} {record.kind}{priority} {record.value}"


def describe(record: DnsRecord | None) -> str:
    """One line a person reads: ``www.exemplo.com.br CNAME exemplo.com.br``."""
    if record is None:
        return "nenhum"
    priority = f"{record.priority} " if record.priority is not None else ""
    return f"{record.name} {record.kind} {priority}{record.value}"


def confirmation(edit: RecordEdit) -> str:
    """The before/after of a record change (the question to confirm comes apart)."""
    key = (
        "record_add"
        if edit.before is None
        else "record_remove"
        if edit.after is None
        else ("record_edit")
    )
    return CONFIRMATIONS[key].format(
        kind=edit.kind, domain=edit.zone, before=describe(edit.before), after=describe(edit.after)
    )


def _ipv4(value: str) -> str:
    typed = value.strip()
    try:
        address = ipaddress.IPv4Address(typed)
    except ValueError:
        raise Refused("ipv4", value=typed) from None
    if any(address in network for network in _INTERNAL):
        raise Refused("ipv4_private", value=typed)
    return str(address)


def _number(value: str | int | None, code: str, low: int, high: int) -> int:
    typed = str(value).strip() if value is not None else ""
    if not typed.isdigit() or not low <= int(typed) <= high:
        raise Refused(code, value=typed)
    return int(typed)
