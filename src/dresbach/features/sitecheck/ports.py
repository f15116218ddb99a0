"""What the site checks need from the outside world: small Protocols, one adapter each.

A port answers what it saw as a typed result: a domain that does not exist, a site that refuses
the connection or does not answer in time are results, not errors. It raises (``TransientError``,
``PermanentError`` or anything else) only when it could not look at all (our resolver unreachable,
WHM down); the check runner turns that into :class:`Unverified`.
"""

from __future__ import annotations

from typing import Literal, Protocol

from dresbach.features.client_area.hosting import AccountSummary
from dresbach.features.sitecheck.results import (
    HttpAnswer,
    NameLookup,
    Nameservers,
    OpenIncident,
    Registration,
    ServiceState,
    TlsResult,
)

Scheme = Literal["https", "http"]


class DnsResolver(Protocol):
    """Public DNS, as visitors see it (``dns_resolver.DnsPythonResolver``)."""

    async def addresses(self, name: str) -> NameLookup:
        """The A and AAAA records of ``name``."""
        ...

    async def nameservers(self, domain: str) -> Nameservers:
        """The NS records of the zone ``domain`` is in."""
        ...


class HttpProbe(Protocol):
    """The home page over one scheme (``http_probe.HttpxProbe``)."""

    async def home_page(self, domain: str, scheme: Scheme) -> HttpAnswer: ...


class CertificateInspector(Protocol):
    """The certificate the site presents, read even when invalid (``tls_inspector``)."""

    async def certificate(self, domain: str) -> TlsResult: ...


class AccountUsage(Protocol):
    """One cPanel account on the WHM server that hosts it (``ServerPanels``: the server named
    by ``hostname``, WHMCS's ``serverhostname`` of the service, else the default one)."""

    async def account_summary(
        self, username: str, *, hostname: str | None = None
    ) -> AccountSummary: ...


class BillingRecords(Protocol):
    """The service and the domain as WHMCS knows them."""

    async def service_state(self, service_id: str) -> ServiceState:
        """``GetClientsProducts``' ``status`` and ``suspensionreason`` of one service."""
        ...

    async def registration(self, domain: str) -> Registration:
        """``GetClientsDomains`` for the domain; ``record`` ``None`` when not registered with
        us."""
        ...


class Incidents(Protocol):
    """The incidents operators open (#15.1)."""

    async def open_incident(self, server: str | None) -> OpenIncident | None:
        """The incident open on ``server`` (or on every server), if any."""
        ...
