"""The DNS resolver adapter, with dnspython's async resolver: the A/AAAA records of a name and
the NS records of a domain's zone, as public DNS answers them.

* ``nameservers``/``port``: the resolvers to ask (tests point them at a local server); without
  them, the system's (``/etc/resolv.conf``). No cache: every check asks afresh.
* ``timeout`` per try, ``lifetime`` per question.
* NXDOMAIN → ``nxdomain``; an empty answer → ``nodata``; every server answering SERVFAIL →
  ``servfail`` (the domain's own DNS is broken). No answer in time, or our resolver refusing or
  unreachable → ``TransientError``: we could not look, which is not a fact about the site.
* Values come sorted (a record set has no order), IPv4 before IPv6.
* The NS records come from the zone the domain is in: for a name inside its parent's zone (a
  subdomain), the empty answer's SOA names that zone, whose NS records are then asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Literal

import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from dresbach.features.sitecheck.results import LookupStatus, NameLookup, Nameservers
from dresbach.kernel.errors import PermanentError, TransientError

__all__ = ["DnsPythonResolver"]

_Kind = Literal["A", "AAAA", "NS"]


class DnsPythonResolver:
    """The ``DnsResolver`` port over dnspython."""

    def __init__(
        self,
        *,
        nameservers: Sequence[str] = (),
        port: int = 53,
        timeout: float = 2.0,
        lifetime: float = 5.0,
    ) -> None:
        if nameservers:
            resolver = dns.asyncresolver.Resolver(configure=False)
            resolver.nameservers = list(nameservers)
        else:
            resolver = dns.asyncresolver.Resolver()
        resolver.port = port
        resolver.timeout = timeout
        resolver.lifetime = lifetime
        resolver.cache = None
        self._resolver = resolver

    async def addresses(self, name: str) -> NameLookup:
        qname = _name(name)
        (v4_status, v4, _), (v6_status, v6, _) = await asyncio.gather(
            self._ask(qname, "A"), self._ask(qname, "AAAA")
        )
        shown = qname.to_text(omit_final_dot=True)
        found = (*v4, *v6)
        if found:
            return NameLookup(name=shown, status="found", addresses=found)
        statuses = {v4_status, v6_status}
        status: LookupStatus = "nodata"
        for worst in ("nxdomain", "servfail"):
            if worst in statuses:
                status = worst
                break
        return NameLookup(name=shown, status=status)

    async def nameservers(self, domain: str) -> Nameservers:
        qname = _name(domain)
        status, hosts, zone = await self._ask(qname, "NS")
        if status == "nodata" and zone is not None and zone != qname and qname.is_subdomain(zone):
            status, hosts, _ = await self._ask(zone, "NS")  # a name inside its parent's zone
        else:
            zone = qname
        return Nameservers(zone=zone.to_text(omit_final_dot=True), status=status, hosts=hosts)

    async def _ask(
        self, qname: dns.name.Name, kind: _Kind
    ) -> tuple[LookupStatus, tuple[str, ...], dns.name.Name | None]:
        """The status and values of one question; for an empty answer, also the zone its SOA
        (in the authority section) names."""
        shown = qname.to_text(omit_final_dot=True)
        try:
            answer = await self._resolver.resolve(
                qname, kind, search=False, raise_on_no_answer=False
            )
        except dns.resolver.NXDOMAIN:
            return "nxdomain", (), None
        except dns.resolver.NoNameservers as error:
            if _all_servfail(error):
                return "servfail", (), None
            raise TransientError(f"DNS {kind} {shown}: the resolver failed ({error})") from error
        except dns.exception.Timeout as error:
            raise TransientError(f"DNS {kind} {shown}: no answer in time") from error
        except dns.exception.DNSException as error:
            raise TransientError(f"DNS {kind} {shown}: {type(error).__name__}") from error
        if answer.rrset is None:
            soa = next(
                (r.name for r in answer.response.authority if r.rdtype == dns.rdatatype.SOA), None
            )
            return "nodata", (), soa
        if kind == "NS":
            hosts = sorted(r.target.to_text(omit_final_dot=True).lower() for r in answer.rrset)
            return "found", tuple(hosts), None
        return "found", tuple(sorted(rdata.to_text() for rdata in answer.rrset)), None


def _name(text: str) -> dns.name.Name:
    cleaned = text.strip().rstrip(".").lower()
    try:
        name = dns.name.from_text(cleaned.encode("idna").decode("ascii"))
    except (UnicodeError, dns.exception.DNSException) as error:
        raise PermanentError(f"DNS: invalid name {text!r}") from error
    if len(name.labels) < 3:  # a top-level domain ("br.") or the root: no one's site
        raise PermanentError(f"DNS: invalid name {text!r}")
    return name


def _all_servfail(error: dns.resolver.NoNameservers) -> bool:
    errors = error.kwargs.get("errors") or []
    responses = [entry[4] if len(entry) > 4 else None for entry in errors]
    return bool(responses) and all(
        isinstance(r, dns.message.Message) and r.rcode() == dns.rcode.SERVFAIL for r in responses
    )
